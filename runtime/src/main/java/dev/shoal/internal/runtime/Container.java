package dev.shoal.internal.runtime;

import dev.shoal.internal.client.ContainerScope;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.Failures;
import dev.shoal.internal.client.RunBinding;
import dev.shoal.internal.client.bucket.MountedBuckets;
import dev.shoal.internal.client.volume.MountedVolumes;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.Ready;
import dev.shoal.protocol.v1.StartupFailed;
import dev.shoal.protocol.v1.Welcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One container: connects to the control plane, loads the app it is told to serve, runs inputs on virtual
 * threads and sends their outputs back, until it is told to stop or its stream ends.
 *
 * <p>This class holds the container's life cycle and hands each part to its own class, as a Temporal worker does:
 * the stream to the control plane ({@link ContainerStream}), loading the app ({@link AppLoader}), mounting volumes
 * ({@link VolumeMounter}) and buckets ({@link BucketMounter}), the function or Cls instance served ({@link CodeStarter}), the workers and their
 * batches ({@link Workers}), the flow-control window ({@link PrefetchWindow}), heartbeats
 * ({@link HeartbeatSender}), outputs ({@link Outbox}) and the order of shutdown ({@link ContainerShutdown}).
 *
 * <p>A Cls container runs the class's factory once before it says it is ready, serves every method on that
 * instance, and runs the instance's {@code close()} when it stops, after its last outputs went out and before its
 * volumes are committed (see {@link ContainerShutdown}).
 */
public final class Container {
  private final String target;
  private final String containerId;
  private final String token;
  private final ContainerHost host;
  /** How long a stream broken by the control plane going away is re-opened for; zero ends the container. */
  private final Duration reconnectWindow;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Workers workers = new Workers();

  private volatile ContainerStream stream;
  private volatile LogShipper shipper;
  private volatile Outbox outbox;
  private volatile ServedCode served;
  private volatile PrefetchWindow window;
  /** The volumes the container mounted, committed when it stops; null until they are. */
  private volatile MountedVolumes volumes;
  /** The buckets the container mounted, closed when it stops; null until they are. */
  private volatile MountedBuckets buckets;
  /** The scope the container's code runs in; null until the app is loaded. */
  private volatile ContainerScope scope;
  private volatile int exitCode;

  /**
   * @param target where the control plane listens ({@code host:port} or {@code inprocess:NAME})
   * @param host whether the container owns its JVM, or shares the caller's (the thread backend)
   */
  public Container(String target, String containerId, String token, ContainerHost host) {
    this(target, containerId, token, host, Duration.ZERO);
  }

  /**
   * @param reconnectWindow how long the container keeps running and tries to reconnect when its control plane goes
   *     away, so that the control plane's next life may adopt it; zero ends it when its stream breaks
   */
  public Container(String target, String containerId, String token, ContainerHost host, Duration reconnectWindow) {
    this.target = target;
    this.containerId = containerId;
    this.token = token;
    this.host = host;
    this.reconnectWindow = reconnectWindow;
  }

  /** Runs the container until it stops; returns the exit code its process should end with. */
  public int run() {
    stream = ContainerStream.open(target, containerId, token, new Commands());
    // Made before the hello because a welcome may arrive on this very thread; it sends nothing until user code
    // prints, which cannot happen before the welcome.
    shipper = new LogShipper(stream::send, stream::ready);
    OutputRouting.install();
    stream.hello();
    // After the hello, which must be the stream's first message.
    host.routeStrayOutput(shipper);
    try {
      ended.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      ContainerShutdown.run(workers, volumes, shipper, outbox, served, scope, stream);
    } finally {
      MountedBuckets mounted = buckets;
      if (mounted != null) {
        mounted.close();
      }
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
      stopped.await(ContainerShutdown.WORKER_STOP_MILLIS + ContainerShutdown.CLOSE_GRACE_MILLIS + 5_000,
          TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the container at once, as if its process were killed: used by the thread backend. */
  public void kill() {
    workers.interrupt();
    LogShipper logs = shipper;
    if (logs != null) {
      logs.stopSoon();
    }
    ContainerStream s = stream;
    if (s != null) {
      s.cancel();
    }
    ended.countDown();
  }

  /** Starts serving what the welcome names, then tells the control plane how many inputs to send. */
  private void welcome(Welcome welcome) {
    ServedCode code;
    ContainerScope scope;
    try {
      AppLoader.LoadedApp loaded = AppLoader.load(welcome);
      volumes = VolumeMounter.mount(stream.channel(), containerId, welcome.getFunction());
      buckets = BucketMounter.mount(welcome.getFunction(), host);
      // Entered before a Cls factory runs, so that the factory may call the app's other functions.
      EngineConnection connection = new EngineConnection(stream.channel(), "the run " + welcome.getAppId());
      scope = new ContainerScope(containerId, loaded.app(),
          new RunBinding(connection, welcome.getAppId(), welcome.getFunctionIdsMap()), volumes, buckets);
      this.scope = scope;
      host.adopt(scope);
      code = CodeStarter.start(welcome, loaded.app(), scope);
      if (ended.getCount() == 0) {
        // Told to stop while a Cls factory ran: the new instance is closed at once.
        code.close(ContainerShutdown.CLOSE_GRACE_MILLIS, scope, shipper);
        return;
      }
      served = code;
      int concurrency = Math.max(1, welcome.getFunction().getMaxConcurrentInputs());
      PrefetchWindow window = new PrefetchWindow(concurrency, code.batchMaxSize());
      this.window = window;
      Outbox out = new Outbox(stream::send, window::size);
      outbox = out;
      InputRunner runner = new InputRunner(code, loaded.policy(), containerId, host, shipper, stream.channel(),
          loaded.limits(), workers.running());
      // Each beat also sends outputs a worker held for company that did not come (see Workers), so that no output
      // waits longer than a beat.
      HeartbeatSender.start(beat -> {
        out.flush();
        stream.send(beat);
      }, ended);
      workers.start(concurrency, code, runner, out, window, scope);
      stream.resumeWithin(reconnectWindow, workers.running()::held);
      stream.send(ContainerMessage.newBuilder().setReady(Ready.newBuilder().setWindow(window.size())).build());
    } catch (StartupException e) {
      startupFailed(Failures.toProto(e.getCause() != null ? e.getCause() : e).toBuilder()
          .setMessage(e.getMessage()).build());
    } catch (RuntimeException e) {
      startupFailed(Failures.toProto(e));
    }
  }

  private void startupFailed(Failure failure) {
    exitCode = 3;
    stream.send(ContainerMessage.newBuilder()
        .setStartupFailed(StartupFailed.newBuilder().setFailure(failure)).build());
    ended.countDown();
  }

  /** What the control plane tells this container. */
  private final class Commands implements ContainerStream.Listener {
    @Override
    public void welcome(Welcome welcome) {
      // Commands arrive on the transport's thread (see ContainerStream), which must not wait: loading the app
      // makes calls on the same connection and runs the user's code.
      Thread.ofPlatform().daemon().name("shoal-welcome").start(() -> Container.this.welcome(welcome));
    }

    @Override
    public void inputs(List<ContainerInput> inputs) {
      workers.add(inputs);
    }

    @Override
    public void cancel(List<String> inputIds) {
      workers.cancel(inputIds);
    }

    @Override
    public void shutdown() {
      ended.countDown();
    }

    @Override
    public void ended(boolean failed) {
      if (failed) {
        exitCode = exitCode == 0 ? 2 : exitCode;
      }
      ended.countDown();
    }

    @Override
    public void resumed() {
      // The control plane's next life knows nothing of the window yet: it sends inputs once it is told again.
      stream.send(ContainerMessage.newBuilder().setReady(Ready.newBuilder().setWindow(window.size())).build());
    }

    @Override
    public void ready() {
      LogShipper logs = shipper;
      if (logs != null) {
        logs.signalReady();
      }
    }
  }
}
