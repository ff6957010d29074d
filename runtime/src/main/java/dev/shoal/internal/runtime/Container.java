package dev.shoal.internal.runtime;

import com.google.protobuf.UnsafeByteOperations;
import dev.shoal.InputContext;
import dev.shoal.internal.client.AppRegistry;
import dev.shoal.internal.client.Channels;
import dev.shoal.internal.client.CurrentInput;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.Engines;
import dev.shoal.internal.client.Failures;
import dev.shoal.internal.client.RegisteredApp;
import dev.shoal.internal.client.RegisteredFunction;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.Codec;
import dev.shoal.internal.codec.CodecException;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.Heartbeat;
import dev.shoal.protocol.v1.Hello;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Ready;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import dev.shoal.protocol.v1.StartupFailed;
import dev.shoal.protocol.v1.Welcome;
import io.grpc.ManagedChannel;
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
 * <p>Flow control is by credits: the container asks for as many inputs as it can hold, which is its concurrency
 * plus a prefetch sized to about {@link #PREFETCH_TARGET_NANOS} of work at the function's observed speed. Fast
 * functions thus keep a few hundred inputs queued locally and never wait for a round trip, while slow ones hold
 * nothing beyond what they run, so that idle containers elsewhere get the rest.
 */
public final class Container {
  private static final long PREFETCH_TARGET_NANOS = 5_000_000;
  private static final int MAX_PREFETCH = 512;
  private static final InputWork STOP = new InputWork(null);
  private static final long HEARTBEAT_MILLIS = 2_000;

  private final String target;
  private final String containerId;
  private final String token;
  private final boolean ownProcess;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final LinkedBlockingQueue<InputWork> work = new LinkedBlockingQueue<>();
  private final List<Thread> workers = new ArrayList<>();

  private ManagedChannel channel;
  private StreamObserver<ContainerMessage> messages;
  private Outbox outbox;
  private RegisteredFunction function;
  private ClassPolicy policy;
  private int concurrency;
  private volatile int exitCode;

  // Guarded by this.
  private int held;
  private int unfilled;
  private double averageNanos;

  /**
   * @param target where the control plane listens ({@code host:port} or {@code inprocess:NAME})
   * @param ownProcess whether this container is the only one in its JVM; a container that shares the caller's
   *     JVM (the thread backend) must not rebind the caller's apps
   */
  public Container(String target, String containerId, String token, boolean ownProcess) {
    this.target = target;
    this.containerId = containerId;
    this.token = token;
    this.ownProcess = ownProcess;
  }

  /** Runs the container until it stops; returns the exit code its process should end with. */
  public int run() {
    channel = Channels.open(target);
    StreamObserver<ContainerMessage> stream =
        ContainerServiceGrpc.newStub(channel).serve(new Commands());
    synchronized (this) {
      messages = stream;
    }
    send(ContainerMessage.newBuilder()
        .setHello(Hello.newBuilder()
            .setContainerId(containerId)
            .setToken(token)
            .setPid(ProcessHandle.current().pid()))
        .build());
    try {
      ended.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shutdown();
    return exitCode;
  }

  /** Ends the container at once, as if its process were killed: used by the thread backend. */
  public void kill() {
    workers.forEach(Thread::interrupt);
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
    for (Thread w : workers) {
      try {
        w.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (outbox != null) {
      outbox.close();
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
      String name = welcome.getFunction().getName();
      function = app.functions().get(name);
      if (function == null) {
        throw new StartupException("app '" + welcome.getAppName() + "' defines no function '" + name
            + "' when " + welcome.getAppClass() + " is loaded; define it in a static field of that class", null);
      }
      policy = ClassPolicy.forApp(appClass);
      if (ownProcess) {
        EngineConnection connection = new EngineConnection(channel, "the run " + welcome.getAppId());
        Engines.useContainerConnection(connection);
        app.joinRun(connection, welcome.getAppId(), welcome.getFunctionIdsMap());
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
    outbox = new Outbox(this::send, this::grantCredits);
    Thread.ofPlatform().daemon().name("shoal-heartbeat").start(this::heartbeat);
    for (int i = 0; i < concurrency; i++) {
      workers.add(Thread.ofVirtual().name("shoal-input-" + i).start(this::work));
    }
    send(ContainerMessage.newBuilder().setReady(Ready.newBuilder().setCredits(grantCredits())).build());
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

  /** How many more inputs to ask for now, so that held plus promised inputs reach the target. */
  private synchronized int grantCredits() {
    int prefetch = averageNanos <= 0 ? 0 : (int) Math.min(MAX_PREFETCH, PREFETCH_TARGET_NANOS / averageNanos);
    int grant = Math.max(0, concurrency + prefetch - held - unfilled);
    unfilled += grant;
    return grant;
  }

  private synchronized void received(int n) {
    unfilled = Math.max(0, unfilled - n);
    held += n;
  }

  private synchronized void finished(long nanos) {
    held--;
    averageNanos = averageNanos <= 0 ? nanos : averageNanos * 0.9 + nanos * 0.1;
  }

  private void work() {
    try {
      while (true) {
        InputWork next = work.take();
        if (next == STOP) {
          return;
        }
        long start = System.nanoTime();
        Result result = execute(next.input());
        finished(System.nanoTime() - start);
        outbox.add(ContainerOutput.newBuilder().setInputId(next.input().getInputId()).setResult(result).build());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Result execute(ContainerInput input) {
    Object argument;
    try {
      argument = Codec.decode(input.getArgs().getData().toByteArray(), policy);
    } catch (CodecException e) {
      return failure(new CodecException("the argument of " + function.name() + " cannot be decoded in the"
          + " container: " + e.getMessage(), e));
    }
    Object value;
    CurrentInput.set(new InputContext(input.getInputId(), input.getCallId(), input.getAttempt(), containerId));
    try {
      value = function.body().invoke(argument);
    } catch (VirtualMachineError e) {
      // The JVM cannot be trusted after this; dying loses no input, which goes back to the queue.
      if (ownProcess) {
        Runtime.getRuntime().halt(137);
      }
      return failure(e);
    } catch (Throwable e) {
      return failure(e);
    } finally {
      CurrentInput.clear();
    }
    try {
      return Result.newBuilder()
          .setStatus(ResultStatus.SUCCESS)
          .setValue(Payload.newBuilder()
              .setCodec(Codec.ID)
              .setData(UnsafeByteOperations.unsafeWrap(Codec.encode(value))))
          .build();
    } catch (CodecException e) {
      return failure(new CodecException(
          "the result of " + function.name() + " cannot be sent back: " + e.getMessage(), e));
    }
  }

  private static Result failure(Throwable e) {
    return Result.newBuilder().setStatus(ResultStatus.FAILURE).setFailure(Failures.toProto(e)).build();
  }

  private record InputWork(ContainerInput input) {}

  /** A container that cannot serve its function; the cause, if any, is what went wrong underneath. */
  private static final class StartupException extends RuntimeException {
    StartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** What the control plane tells this container. */
  private final class Commands implements StreamObserver<ContainerCommand> {
    @Override
    public void onNext(ContainerCommand command) {
      switch (command.getKindCase()) {
        case WELCOME -> welcome(command.getWelcome());
        case INPUTS -> {
          List<ContainerInput> inputs = command.getInputs().getInputsList();
          received(inputs.size());
          for (ContainerInput in : inputs) {
            work.add(new InputWork(in));
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
