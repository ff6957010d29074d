package dev.shoal.internal.runtime;

import dev.shoal.internal.client.AppRegistry;
import dev.shoal.internal.client.Channels;
import dev.shoal.internal.client.ContainerScope;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.Failures;
import dev.shoal.internal.client.RegisteredApp;
import dev.shoal.internal.client.RegisteredCls;
import dev.shoal.internal.client.RegisteredFunction;
import dev.shoal.internal.client.RunBinding;
import dev.shoal.internal.client.volume.MountedVolumes;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.Heartbeat;
import dev.shoal.protocol.v1.Hello;
import dev.shoal.protocol.v1.PayloadSettings;
import dev.shoal.protocol.v1.Ready;
import dev.shoal.protocol.v1.StartupFailed;
import dev.shoal.protocol.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One container: connects to the control plane, loads the app it is told to serve, runs inputs on virtual
 * threads and sends their outputs back, until it is told to stop or its stream ends.
 *
 * <p>Flow control is by window: the container tells the control plane how many inputs it wants outstanding,
 * which is its concurrency plus a prefetch sized to about {@link #PREFETCH_TARGET_NANOS} of work at the function's observed speed. Fast
 * functions thus keep a few hundred inputs queued locally and never wait for a round trip, while slow ones hold
 * nothing beyond what they run, so that idle containers elsewhere get the rest.
 *
 * <p>A batched function's workers each take a batch at a time from the local queue (see {@link BatchCollector}),
 * so a container asks for enough inputs to fill a batch per worker: concurrency × maxBatchSize, plus the
 * prefetch. A Cls container runs the class's factory once before it says it is ready, serves every method on
 * that instance, and runs the instance's {@code close()} when it stops, after its last outputs went out.
 */
public final class Container {
  private static final long PREFETCH_TARGET_NANOS = 5_000_000;
  private static final int MAX_PREFETCH = 512;
  private static final InputWork STOP = new InputWork(null, 0);
  private static final long HEARTBEAT_MILLIS = 2_000;
  /** How long running inputs get to finish when the container stops. */
  private static final long WORKER_STOP_MILLIS = 5_000;
  /** How long a Cls instance's close() may take when the container stops, as Modal gives {@code @exit}. */
  static final long CLOSE_GRACE_MILLIS = 30_000;
  /** How long the lines still queued when the container stops get to go out. */
  private static final long LOG_DRAIN_MILLIS = 2_000;

  private final String target;
  private final String containerId;
  private final String token;
  private final ContainerHost host;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final LinkedBlockingQueue<InputWork> work = new LinkedBlockingQueue<>();
  private final List<Thread> workers = new ArrayList<>();

  private ManagedChannel channel;
  private StreamObserver<ContainerMessage> messages;
  private Outbox outbox;
  private volatile LogShipper shipper;
  /** The stream this container sends on, as gRPC gives it for flow control. */
  private volatile ClientCallStreamObserver<ContainerMessage> outgoing;
  private ServedCode served;
  /** The run and volumes the container's code sees; made once the container knows its app. */
  private volatile ContainerScope scope;
  private InputRunner runner;
  private BatchCollector<InputWork> batchCollector;
  private ClassPolicy policy;
  private PayloadLimits limits;
  private int concurrency;
  /** How many inputs the workers run at once: concurrency, times the batch size for a batched function. */
  private int capacity;
  private volatile int exitCode;
  /** The volumes the container mounted, committed when it stops; null until they are. */
  private volatile MountedVolumes volumes;

  // Guarded by this.
  private double averageNanos;

  /**
   * @param target where the control plane listens ({@code host:port} or {@code inprocess:NAME})
   * @param host whether the container owns its JVM, or shares the caller's (the thread backend)
   */
  public Container(String target, String containerId, String token, ContainerHost host) {
    this.target = target;
    this.containerId = containerId;
    this.token = token;
    this.host = host;
  }

  /**
   * As {@link #Container(String, String, String, ContainerHost)}, with {@code ownProcess} choosing
   * {@link ContainerHost#PROCESS} or {@link ContainerHost#SHARED_JVM}; kept for the backends that name the host
   * with a flag.
   */
  public Container(String target, String containerId, String token, boolean ownProcess) {
    this(target, containerId, token, ownProcess ? ContainerHost.PROCESS : ContainerHost.SHARED_JVM);
  }

  /** Runs the container until it stops; returns the exit code its process should end with. */
  public int run() {
    channel = Channels.open(target, Channels.containerCredential(containerId, token));
    StreamObserver<ContainerMessage> stream =
        ContainerServiceGrpc.newStub(channel).serve(new Commands());
    synchronized (this) {
      messages = stream;
    }
    // Made before the hello because a welcome may arrive on this very thread; it sends nothing until user code
    // prints, which cannot happen before the welcome.
    shipper = new LogShipper(this::send, this::streamReady);
    OutputRouting.install();
    send(ContainerMessage.newBuilder()
        .setHello(Hello.newBuilder()
            .setContainerId(containerId)
            .setToken(token)
            .setPid(ProcessHandle.current().pid()))
        .build());
    // After the hello, which must be the stream's first message.
    host.routeStrayOutput(shipper);
    try {
      ended.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      shutdown();
    } finally {
      stopped.countDown();
    }
    return exitCode;
  }

  /**
   * Stops the container as a {@code Shutdown} from the control plane would, and waits until it has stopped: its
   * running inputs finished, its outputs sent and its Cls instance closed. Used when its process gets SIGTERM.
   */
  public void stopAndWait() {
    ended.countDown();
    try {
      stopped.await(WORKER_STOP_MILLIS + CLOSE_GRACE_MILLIS + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the container at once, as if its process were killed: used by the thread backend. */
  public void kill() {
    workers.forEach(Thread::interrupt);
    LogShipper logs = shipper;
    if (logs != null) {
      logs.stopSoon();
    }
    synchronized (this) {
      if (messages != null) {
        try {
          messages.onError(io.grpc.Status.CANCELLED.withDescription("killed").asRuntimeException());
        } catch (RuntimeException e) {
          // Already closed.
        }
        messages = null;
      }
    }
    ended.countDown();
  }

  private void shutdown() {
    for (int i = 0; i < workers.size(); i++) {
      work.add(STOP);
    }
    long workersDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WORKER_STOP_MILLIS);
    for (Thread w : workers) {
      try {
        w.join(java.time.Duration.ofNanos(Math.max(1, workersDeadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // A container that stops normally publishes what its inputs left in its volumes.
    MountedVolumes mounted = volumes;
    if (mounted != null) {
      mounted.commitAndUnmount();
    }
    shipper.close(LOG_DRAIN_MILLIS);
    if (outbox != null) {
      outbox.close();
    }
    // The outputs went out first, so that callers do not wait for a slow close(); the stream stays open until
    // close() returns, so the control plane sees a stopping container rather than a dead one.
    ServedCode code;
    synchronized (this) {
      code = served;
    }
    if (code != null) {
      code.close(CLOSE_GRACE_MILLIS);
    }
    synchronized (this) {
      if (messages != null) {
        try {
          messages.onCompleted();
        } catch (RuntimeException e) {
          // The control plane already closed the stream.
        }
        messages = null;
      }
    }
    channel.shutdownNow();
  }

  /** Whether the stream takes another message without buffering it in memory; safe from any thread. */
  private boolean streamReady() {
    ClientCallStreamObserver<ContainerMessage> call = outgoing;
    return call == null || call.isReady();
  }

  private synchronized void send(ContainerMessage message) {
    if (messages != null) {
      messages.onNext(message);
    }
  }

  private void welcome(Welcome welcome) {
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader == null) {
        loader = Container.class.getClassLoader();
      }
      Class<?> appClass;
      try {
        appClass = Class.forName(welcome.getAppClass(), true, loader);
      } catch (ExceptionInInitializerError e) {
        Throwable thrown = e.getCause() == null ? e : e.getCause();
        throw new StartupException("cannot load app class " + welcome.getAppClass()
            + ": its static initialiser threw " + thrown, thrown);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new StartupException("cannot load app class " + welcome.getAppClass() + ": " + e, e);
      }
      RegisteredApp app = AppRegistry.find(welcome.getAppName(), appClass).orElseThrow(() -> new StartupException(
          "class " + welcome.getAppClass() + " does not define app '" + welcome.getAppName()
              + "'; call App.named(\"" + welcome.getAppName() + "\") in a static field of that class", null));
      PayloadSettings payloads = welcome.getFunction().getPayloads();
      policy = ClassPolicy.forApp(appClass, payloads.getCodecAllowList());
      try {
        limits = PayloadLimits.configured().with(payloads.getInlineBytes(), payloads.getMaxBytes());
      } catch (IllegalArgumentException e) {
        throw new StartupException("the container's payload settings are wrong: " + e.getMessage(), null);
      }
      // Mounted before a Cls factory runs, which may read a volume (a model's weights, say).
      try {
        volumes = MountedVolumes.mountAll(channel, containerId, welcome.getFunction().getVolumesList());
      } catch (io.grpc.StatusRuntimeException e) {
        throw new StartupException("cannot mount the volumes of function '" + welcome.getFunction().getName()
            + "': " + e.getStatus().getDescription(), null);
      } catch (RuntimeException e) {
        throw new StartupException("cannot mount the volumes of function '" + welcome.getFunction().getName()
            + "': " + e.getMessage(), e);
      }
      // Entered before a Cls factory runs, so that the factory may call the app's other functions.
      EngineConnection connection = new EngineConnection(channel, "the run " + welcome.getAppId());
      scope = new ContainerScope(containerId, app,
          new RunBinding(connection, welcome.getAppId(), welcome.getFunctionIdsMap()), volumes);
      host.adopt(scope);
      String name = welcome.getFunction().getName();
      String clsName = welcome.getFunction().getCls();
      ServedCode code;
      if (!clsName.isEmpty()) {
        code = startCls(welcome, app, clsName);
        if (code == null) {
          return;
        }
      } else {
        RegisteredFunction function = app.functions().get(name);
        if (function == null) {
          throw new StartupException("app '" + welcome.getAppName() + "' defines no function '" + name
              + "' when " + welcome.getAppClass() + " is loaded; define it in a static field of that class", null);
        }
        code = ServedCode.function(function, welcome.getFunction());
      }
      synchronized (this) {
        served = code;
      }
    } catch (StartupException e) {
      startupFailed(Failures.toProto(e.getCause() != null ? e.getCause() : e).toBuilder()
          .setMessage(e.getMessage()).build());
      return;
    } catch (RuntimeException e) {
      startupFailed(Failures.toProto(e));
      return;
    }
    concurrency = Math.max(1, welcome.getFunction().getMaxConcurrentInputs());
    capacity = concurrency * served.batchMaxSize();
    outbox = new Outbox(this::send, this::window);
    runner = new InputRunner(served, policy, containerId, host, shipper, channel, limits);
    Thread.ofPlatform().daemon().name("shoal-heartbeat").start(this::heartbeat);
    Runnable worker = served.batched() ? this::workOnBatches : this::work;
    for (int i = 0; i < concurrency; i++) {
      workers.add(Thread.ofVirtual().name("shoal-input-" + i).start(() -> scope.run(worker)));
    }
    send(ContainerMessage.newBuilder().setReady(Ready.newBuilder().setWindow(window())).build());
  }

  /**
   * Runs the class's factory. Returns null if the container was told to stop while the factory ran, in which case
   * the new instance is closed at once.
   */
  private ServedCode startCls(Welcome welcome, RegisteredApp app, String clsName) {
    RegisteredCls cls = app.classes().get(clsName);
    if (cls == null) {
      throw new StartupException("app '" + welcome.getAppName() + "' defines no class '" + clsName + "' when "
          + welcome.getAppClass() + " is loaded; define it in a static field of that class", null);
    }
    ServedCode code;
    try {
      code = scope.call(() -> ServedCode.cls(cls, welcome.getFunction()));
    } catch (Exception | LinkageError e) {
      throw new StartupException("the factory of class '" + clsName + "' threw " + e, e);
    }
    if (ended.getCount() == 0) {
      code.close(CLOSE_GRACE_MILLIS);
      return null;
    }
    return code;
  }

  private void heartbeat() {
    ContainerMessage beat = ContainerMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build();
    try {
      while (!ended.await(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS)) {
        send(beat);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The stream is closing; the container is about to end.
    }
  }

  private void startupFailed(Failure failure) {
    exitCode = 3;
    send(ContainerMessage.newBuilder().setStartupFailed(StartupFailed.newBuilder().setFailure(failure)).build());
    ended.countDown();
  }

  /** How many inputs this container wants outstanding: what its workers run at once, plus the prefetch. */
  private synchronized int window() {
    int prefetch = averageNanos <= 0 ? 0 : (int) Math.min(MAX_PREFETCH, PREFETCH_TARGET_NANOS / averageNanos);
    // A batched function keeps the next full batches waiting while these run, so that a batch never starts short
    // and then waits for company that is only on its way because the last batch finished.
    if (served.batchMaxSize() > 1) {
      prefetch = Math.max(prefetch, capacity);
    }
    return capacity + prefetch;
  }

  /** Notes that {@code inputs} inputs finished together in {@code nanos}. */
  private synchronized void finished(int inputs, long nanos) {
    long perInput = nanos / Math.max(1, inputs);
    averageNanos = averageNanos <= 0 ? perInput : averageNanos * 0.9 + perInput * 0.1;
  }

  private void work() {
    try {
      while (true) {
        InputWork next = work.take();
        if (next == STOP) {
          return;
        }
        long start = System.nanoTime();
        ContainerOutput output = runner.run(next.input());
        // Measured before the output goes out, so that the window sent with it reflects this input's speed.
        finished(1, System.nanoTime() - start);
        outbox.add(output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void workOnBatches() {
    BatchCollector<InputWork> batches = collector();
    try {
      while (true) {
        BatchCollector.Batch<InputWork> batch = batches.next();
        if (!batch.items().isEmpty()) {
          long start = System.nanoTime();
          List<ContainerOutput> outputs = runner.runBatch(batch.items().stream().map(InputWork::input).toList());
          finished(batch.items().size(), System.nanoTime() - start);
          outputs.forEach(outbox::add);
        }
        if (batch.stop()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The one collector that every batch worker gathers from, so that only one gathers at a time. */
  private synchronized BatchCollector<InputWork> collector() {
    if (batchCollector == null) {
      batchCollector = new BatchCollector<>(work, STOP, served.batchMaxSize(), served.batchWaitNanos(),
          InputWork::arrivedAt);
    }
    return batchCollector;
  }

  /** An input and when it arrived, by {@link System#nanoTime()}. */
  private record InputWork(ContainerInput input, long arrivedAt) {}

  /** A container that cannot serve its function; the cause, if any, is what went wrong underneath. */
  private static final class StartupException extends RuntimeException {
    StartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** What the control plane tells this container. */
  private final class Commands implements ClientResponseObserver<ContainerMessage, ContainerCommand> {
    @Override
    public void beforeStart(ClientCallStreamObserver<ContainerMessage> stream) {
      outgoing = stream;
      stream.setOnReadyHandler(() -> {
        LogShipper logs = shipper;
        if (logs != null) {
          logs.signalReady();
        }
      });
    }

    @Override
    public void onNext(ContainerCommand command) {
      switch (command.getKindCase()) {
        case WELCOME -> welcome(command.getWelcome());
        case INPUTS -> {
          List<ContainerInput> inputs = command.getInputs().getInputsList();
          long arrived = System.nanoTime();
          for (ContainerInput in : inputs) {
            work.add(new InputWork(in, arrived));
          }
        }
        case SHUTDOWN -> ended.countDown();
        default -> { }
      }
    }

    @Override
    public void onError(Throwable t) {
      exitCode = exitCode == 0 ? 2 : exitCode;
      ended.countDown();
    }

    @Override
    public void onCompleted() {
      ended.countDown();
    }
  }
}
