package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.CallState;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.MapInput;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import io.grpc.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The control plane: apps and their function pools, calls and their results, and the containers that serve
 * them. The gRPC services are thin adapters over this class.
 */
public final class ControlPlane implements AutoCloseable {
  /** How often timeouts, start-up limits and the autoscaler are checked. */
  static final long TICK_MILLIS = 100;
  /** How long a stopping run's containers get to exit by themselves before they are killed. */
  private static final long STOP_APP_GRACE_MILLIS = 3_000;
  private static final long STOP_APP_WAIT_MILLIS = 15_000;

  private final Clock clock;
  private final Map<String, BackendSlot> backends = new ConcurrentHashMap<>();
  private final String defaultBackend;
  private final ScheduledExecutorService timer;
  private final Map<String, AppRecord> apps = new ConcurrentHashMap<>();
  private final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();
  private final Map<String, CallRecord> calls = new ConcurrentHashMap<>();
  private final Map<String, ContainerRecord> containers = new ConcurrentHashMap<>();

  /**
   * @param defaultBackend the backend of runs that do not name one; add it with {@link #addBackend}
   */
  public ControlPlane(Clock clock, String defaultBackend) {
    this.clock = clock;
    this.defaultBackend = defaultBackend;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "shoal-control-plane-timer");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Adds a backend; a backend often needs the control plane's address, so it comes after construction. */
  public synchronized void addBackend(ContainerBackend backend) {
    backends.put(backend.name(), new BackendSlot(backend));
  }

  long nowMillis() {
    return clock.millis();
  }

  void schedule(long delayMillis, Runnable task) {
    timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    for (FunctionPool pool : pools.values()) {
      try {
        pool.tick();
      } catch (RuntimeException e) {
        // One pool's failure must not stop the timer for every other pool.
        System.getLogger(ControlPlane.class.getName())
            .log(System.Logger.Level.WARNING, "tick of function " + pool.name() + " failed", e);
      }
    }
  }

  public StartAppResponse startApp(StartAppRequest request) {
    String backendName = request.getBackend().isEmpty() ? defaultBackend : request.getBackend();
    BackendSlot slot;
    synchronized (this) {
      slot = backends.get(backendName);
    }
    if (slot == null) {
      throw Status.INVALID_ARGUMENT
          .withDescription("this engine has no backend named '" + backendName + "'; it has " + backends.keySet())
          .asRuntimeException();
    }
    AppRecord app = new AppRecord(
        Ids.next("ap"), request.getAppName(), request.getAppClass(), request.getClasspathList(), slot);
    for (FunctionDefinition f : request.getFunctionsList()) {
      FunctionPool pool = new FunctionPool(this, app, Ids.next("fu"), f);
      app.pools.put(f.getName(), pool);
    }
    apps.put(app.id, app);
    app.pools.values().forEach(p -> pools.put(p.id, p));
    // Pools with warm containers start them now rather than at the first tick.
    app.pools.values().forEach(FunctionPool::tick);
    return StartAppResponse.newBuilder().setAppId(app.id).putAllFunctionIds(app.functionIds()).build();
  }

  /** Stops a run: cancels its unfinished calls, stops its containers and waits until they are gone. */
  public void stopApp(String appId) {
    AppRecord app = apps.remove(appId);
    if (app == null) {
      throw Status.NOT_FOUND.withDescription("no running app " + appId).asRuntimeException();
    }
    app.stopped = true;
    String why = "app " + app.name + " was stopped";
    for (CallRecord call : List.copyOf(calls.values())) {
      if (call.pool.app == app && call instanceof MapCallRecord) {
        call.cancel(why);
      }
    }
    app.pools.values().forEach(p -> p.stop(why));
    long graceOver = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_APP_GRACE_MILLIS);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_APP_WAIT_MILLIS);
    boolean killed = false;
    while (app.pools.values().stream().anyMatch(p -> p.liveContainers() > 0)
        || app.handles.stream().anyMatch(h -> h.isAlive())) {
      if (!killed && System.nanoTime() > graceOver) {
        app.pools.values().forEach(FunctionPool::killAll);
        app.handles.forEach(h -> h.kill());
        killed = true;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    app.pools.values().forEach(p -> pools.remove(p.id));
  }

  private FunctionPool pool(String functionId) {
    FunctionPool pool = pools.get(functionId);
    if (pool == null) {
      throw Status.NOT_FOUND
          .withDescription("no function " + functionId + " in a running app; was its app stopped?")
          .asRuntimeException();
    }
    return pool;
  }

  /** Creates a call with one input and returns its id at once. */
  public String spawn(String functionId, Payload args) {
    return single(functionId, args).id;
  }

  /** Creates a call with one input; {@code done} receives its result. Returns the call, to cancel it. */
  public String call(String functionId, Payload args, Consumer<CallResponse> done) {
    SingleCall call = single(functionId, args);
    call.onResult(result -> {
      calls.remove(call.id);
      done.accept(CallResponse.newBuilder().setCallId(call.id).setResult(result).build());
    });
    return call.id;
  }

  private SingleCall single(String functionId, Payload args) {
    FunctionPool pool = pool(functionId);
    SingleCall call = new SingleCall(Ids.next("fc"), pool);
    InputRecord input = new InputRecord(Ids.next("in"), call, 0, args);
    call.input = input;
    calls.put(call.id, call);
    pool.submit(List.of(input));
    return call;
  }

  /** Opens a map whose results go to {@code sink}. */
  public MapSession openMap(String functionId, MapCallRecord.Sink sink) {
    FunctionPool pool = pool(functionId);
    MapCallRecord call = new MapCallRecord(Ids.next("fc"), pool, sink);
    calls.put(call.id, call);
    return new MapSession(call);
  }

  /** Answers with the call's result once it has one, or with "not done" after {@code timeoutMillis}. */
  public void awaitResult(String callId, long timeoutMillis, Consumer<AwaitResultResponse> answer) {
    SingleCall call = singleCall(callId);
    String appClass = call.pool.app.appClass;
    AtomicBoolean answered = new AtomicBoolean();
    Consumer<Result> waiter = result -> {
      if (answered.compareAndSet(false, true)) {
        answer.accept(AwaitResultResponse.newBuilder().setDone(true).setResult(result).setAppClass(appClass).build());
      }
    };
    if (timeoutMillis <= 0) {
      Result r = call.result();
      answered.set(true);
      AwaitResultResponse.Builder response = AwaitResultResponse.newBuilder().setAppClass(appClass);
      if (r != null) {
        response.setDone(true).setResult(r);
      }
      answer.accept(response.build());
      return;
    }
    call.onResult(waiter);
    ScheduledFuture<?> expiry = timer.schedule(() -> {
      call.removeWaiter(waiter);
      if (answered.compareAndSet(false, true)) {
        answer.accept(AwaitResultResponse.newBuilder().setDone(false).setAppClass(appClass).build());
      }
    }, timeoutMillis, TimeUnit.MILLISECONDS);
    if (answered.get()) {
      expiry.cancel(false);
    }
  }

  public void cancelCall(String callId, boolean terminateContainers) {
    CallRecord call = calls.get(callId);
    if (call == null) {
      throw Status.NOT_FOUND.withDescription("no call " + callId).asRuntimeException();
    }
    if (terminateContainers && call instanceof SingleCall s && s.input != null) {
      s.pool.killContainerOf(s.input);
    }
    call.cancel("call " + callId + " was cancelled");
  }

  public CallState callState(String callId) {
    CallRecord call = calls.get(callId);
    if (call == null) {
      throw Status.NOT_FOUND.withDescription("no call " + callId).asRuntimeException();
    }
    return call.state();
  }

  private SingleCall singleCall(String callId) {
    CallRecord call = calls.get(callId);
    if (call instanceof SingleCall s) {
      return s;
    }
    throw Status.NOT_FOUND
        .withDescription(call == null ? "no call " + callId : callId + " is a map; its results stream to its caller")
        .asRuntimeException();
  }

  /**
   * Asks another pool on the same backend to stop one idle container, so that {@code starved}, which has work
   * and no room, can start one. Called with no pool lock held: each pool is locked in turn, never two at once.
   */
  void reclaimIdleContainer(FunctionPool starved) {
    for (FunctionPool pool : pools.values()) {
      if (pool != starved && pool.app.backend == starved.app.backend && pool.yieldIdleContainer()) {
        return;
      }
    }
  }

  void forgetCall(CallRecord call) {
    calls.remove(call.id);
  }

  void registerContainer(ContainerRecord c) {
    containers.put(c.id, c);
  }

  void unregisterContainer(ContainerRecord c) {
    containers.remove(c.id);
  }

  /** Finds the container that says hello with this id and token; null if there is none. */
  ContainerRecord container(String id, String token) {
    ContainerRecord c = containers.get(id);
    if (c == null || !java.security.MessageDigest.isEqual(c.token.getBytes(), token.getBytes())) {
      return null;
    }
    return c;
  }

  /** The state of a running app's function pool, found by names; for tests and diagnostics. */
  public java.util.Optional<PoolStats> poolStats(String appName, String functionName) {
    return apps.values().stream()
        .filter(a -> a.name.equals(appName) && a.pools.containsKey(functionName))
        .map(a -> a.pools.get(functionName).stats())
        .findFirst();
  }

  /** How many containers are live on every backend; for tests and diagnostics. */
  public int liveContainers() {
    return backends.values().stream().mapToInt(BackendSlot::live).sum();
  }

  @Override
  public void close() {
    for (String appId : new ArrayList<>(apps.keySet())) {
      try {
        stopApp(appId);
      } catch (RuntimeException e) {
        // Already stopped by another thread.
      }
    }
    timer.shutdownNow();
    backends.values().forEach(b -> b.backend().close());
  }

  /** The control plane's side of one map stream. */
  public static final class MapSession {
    private final MapCallRecord call;
    private long received;

    MapSession(MapCallRecord call) {
      this.call = call;
    }

    public String callId() {
      return call.id;
    }

    public void add(List<MapInput> inputs) {
      List<InputRecord> records = new ArrayList<>(inputs.size());
      for (MapInput in : inputs) {
        records.add(new InputRecord(call.id + "-" + in.getIndex(), call, in.getIndex(), in.getArgs()));
      }
      received += records.size();
      call.pool.submit(records);
    }

    public void end(long total) {
      if (total != received) {
        throw Status.INVALID_ARGUMENT
            .withDescription("map " + call.id + " ended with total " + total + " but sent " + received + " inputs")
            .asRuntimeException();
      }
      call.end(total);
    }

    public void cancel(String why) {
      call.cancel(why);
    }
  }
}
