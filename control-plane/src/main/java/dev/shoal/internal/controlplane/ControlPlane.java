package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.blob.BlobStore;
import dev.shoal.internal.controlplane.secret.SecretBox;
import dev.shoal.internal.controlplane.secret.SecretShelf;
import dev.shoal.internal.controlplane.secret.Secrets;
import dev.shoal.internal.store.AppState;
import dev.shoal.internal.store.CallAttempt;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredContainer;
import dev.shoal.protocol.v1.AppSummary;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.CallState;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.GetMapResultsResponse;
import dev.shoal.protocol.v1.LookupFunctionResponse;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.RollbackAppResponse;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The control plane: apps and their function pools, and the facade the service adapters (gRPC, the dashboard)
 * call. Calls and their results are {@link Calls}'; the live containers are in a {@link ContainerDirectory}; each
 * function's queue, leases, retries, timeouts and scaling are its {@link FunctionPool}'s, which reaches back only
 * through {@link PoolHost}. Every timer runs on the injected {@link Scheduler}, on the injected clock's time, and
 * the core refuses with {@link CoreException}; no transport type is used here. The protocol's message types
 * (requests, payloads, results) are still carried as data.
 *
 * <p>What must outlive the process — apps, spawned calls with their inputs and results, detached maps — is written
 * through to the {@link StateStore} before the caller is answered, and {@link #recover()} puts it back after a
 * restart.
 */
public final class ControlPlane implements AutoCloseable, Ownership {
  /** How often timeouts, start-up limits and the autoscaler are checked. */
  static final long TICK_MILLIS = 100;
  /** An ephemeral run whose client has not sent a heartbeat for this long is stopped. */
  static final long CLIENT_HEARTBEAT_TIMEOUT_MILLIS = 15_000;
  static final String DEFAULT_ENVIRONMENT = "main";
  private static final long EXPIRY_EVERY_MILLIS = 60_000;
  private static final long BLOB_SWEEP_EVERY_MILLIS = 60_000;


  private final Clock clock;
  private final StateStore store;
  private final DurableWriter writer;
  private final Duration retention;
  private final ArtifactStore artifacts;
  private final Map<String, BackendSlot> backends = new ConcurrentHashMap<>();
  private final String defaultBackend;
  private final Scheduler scheduler;
  private final Apps apps;
  private final Calls calls;
  private volatile Secrets secrets;
  private final ContainerDirectory containers;
  private final Adoptions adoptions;
  /** Set once {@link #close} hands the containers over to the next life. */
  private volatile boolean handingOver;
  /** Set from {@link #recoveryPending} until {@link #recover} has run. */
  private volatile boolean recovering;
  /** What the pools, and the calls they run, may ask of the control plane: nothing else of it. */
  private final PoolHost host = new Host();
  private final AppLogs logs = new AppLogs(AppLogs.configuredBytesPerApp(), AppLogs.DEFAULT_KEPT_STOPPED_APPS);
  private final Activity activity;
  private volatile long lastExpiryMillis;
  /** What the control plane does with blob references in payloads. */
  final BlobRouting blobs;
  private volatile long lastBlobSweepMillis;
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /**
   * @param store where apps, spawned calls and results are kept
   * @param retention how long a finished call's result stays retrievable
   * @param artifacts where uploaded classpath artifacts are, or null where clients pass local paths
   * @param defaultBackend the backend of runs that do not name one; add it with {@link #addBackend}
   */
  public ControlPlane(Clock clock, StateStore store, Duration retention, ArtifactStore artifacts,
      String defaultBackend) {
    this(clock, store, retention, artifacts, defaultBackend, null);
  }

  /**
   * @param blobs where large arguments and results are, or null for an engine that refuses payloads in blobs
   */
  public ControlPlane(Clock clock, StateStore store, Duration retention, ArtifactStore artifacts,
      String defaultBackend, BlobStore blobs) {
    this(clock, Scheduler.onThread("shoal-control-plane-timer"), store, retention, artifacts, defaultBackend, blobs);
  }

  /**
   * @param clock what every deadline, lease and retention period is measured by
   * @param scheduler what runs every timer of the control plane on {@code clock}'s time; closed with it
   */
  public ControlPlane(Clock clock, Scheduler scheduler, StateStore store, Duration retention,
      ArtifactStore artifacts, String defaultBackend, BlobStore blobs) {
    this.blobs = new BlobRouting(blobs);
    this.lastBlobSweepMillis = clock.millis();
    this.clock = clock;
    this.store = store;
    this.containers = new ContainerDirectory(store);
    this.adoptions = new Adoptions(clock, scheduler, containers);
    this.writer = new DurableWriter(store);
    this.retention = retention;
    this.artifacts = artifacts;
    this.defaultBackend = defaultBackend;
    this.lastExpiryMillis = clock.millis();
    this.scheduler = scheduler;
    this.apps = new Apps(clock, store, scheduler, artifacts, backends, defaultBackend, host, logs, () -> secrets,
        this::appStopped);
    this.activity = new Activity(clock, apps.apps, logs);
    this.calls = new Calls(clock, scheduler, store, writer, retention, this.blobs, apps::pool,
        appId -> Optional.ofNullable(apps.apps.get(appId)).map(a -> a.appClass));
    // Sealed under a key of this JVM's until the engine says where its key is kept (useSecrets).
    this.secrets = new Secrets(SecretShelf.of(store), SecretBox.ephemeral(), clock);
    scheduler.scheduleEvery(TICK_MILLIS, this::tick);
  }

  private void appStopped(AppRecord app) {
    activity.appStopped(app);
  }

  /** Keeps named secrets with {@code secrets} from now on: a server's sealed in its store, the embedded engine's in
   * the user's directory. */
  public void useSecrets(Secrets secrets) {
    this.secrets = secrets;
  }

  /** The engine's named secrets, which its functions' containers receive as environment variables. */
  public Secrets secrets() {
    return secrets;
  }

  /** Adds a backend; a backend often needs the control plane's address, so it comes after construction. */
  public void addBackend(ContainerBackend backend) {
    backends.put(backend.name(), new BackendSlot(backend));
  }

  /** What this control plane is doing and recently did: for the dashboard and metrics. */
  public Activity activity() {
    return activity;
  }

  long nowMillis() {
    return clock.millis();
  }

  private void tick() {
    for (FunctionPool pool : apps.pools.values()) {
      try {
        pool.tick();
      } catch (RuntimeException e) {
        // One pool's failure must not stop the timer for every other pool.
        System.getLogger(ControlPlane.class.getName())
            .log(System.Logger.Level.WARNING, "tick of function " + pool.name() + " failed", e);
      }
    }
    long now = clock.millis();
    for (AppRecord app : apps.apps.values()) {
      if (app.state == AppState.RUNNING && now - app.lastHeartbeatMillis > CLIENT_HEARTBEAT_TIMEOUT_MILLIS) {
        // Stopping waits for containers to exit; it must not hold up the timer.
        app.lastHeartbeatMillis = Long.MAX_VALUE;
        Thread.ofVirtual().name("shoal-stop-" + app.id).start(() -> stopQuietly(app.id,
            "its client stopped sending heartbeats"));
      }
    }
    if (now - lastExpiryMillis >= EXPIRY_EVERY_MILLIS) {
      expireResults();
    }
    if (blobs.enabled() && now - lastBlobSweepMillis >= BLOB_SWEEP_EVERY_MILLIS
        && sweeping.compareAndSet(false, true)) {
      lastBlobSweepMillis = now;
      // Deleting blobs may take a while on S3; it must not hold up the timer.
      Thread.ofVirtual().name("shoal-blob-sweep").start(() -> {
        try {
          sweepBlobs();
        } finally {
          sweeping.set(false);
        }
      });
    }
  }

  /**
   * Deletes the blobs that nothing needs any more (see {@code BlobLedger} for the rule), and returns how many; runs
   * every minute on a thread of its own, and on demand in tests.
   */
  public int sweepBlobs() {
    try {
      return blobs.sweep(store.blobsInUse());
    } catch (RuntimeException e) {
      System.getLogger(ControlPlane.class.getName())
          .log(System.Logger.Level.WARNING, "the sweep of unneeded blobs failed; the next one tries again", e);
      return 0;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Apps and their pools: see Apps.

  public StartAppResponse startApp(StartAppRequest request) {
    return apps.startApp(request);
  }

  /**
   * Puts back what the store says was going on: every active app, and every spawned call that has no result
   * yet, in the order they were made. Called once, after the backends are added.
   */
  public void recover() {
    Map<String, List<StoredContainer>> containersByApp = new HashMap<>();
    store.containers().forEach(c -> containersByApp.computeIfAbsent(c.appId(), k -> new ArrayList<>()).add(c));
    apps.recover(app -> {
      // Before the app's calls are queued, so that those its containers may hold wait for them.
      adoptions.expect(app, containersByApp.getOrDefault(app.id, List.of()));
      containersByApp.remove(app.id);
      calls.recover(app, store.unfinishedCalls(app.id), adoptions::submit);
    });
    // Containers of apps that did not come back serve nothing; their backends end them.
    containersByApp.values().forEach(list -> list.forEach(c -> containers.forget(c.id())));
    adoptions.startWindow();
    recovering = false;
  }

  /**
   * Says that {@link #recover} will run once this control plane listens, as a server's does: until it has, a
   * container of the earlier life that reconnects cannot be told from a stranger, and is told to try again.
   */
  public void recoveryPending() {
    recovering = true;
  }

  /** Whether a recovery is pending: see {@link #recoveryPending}. */
  boolean recovering() {
    return recovering;
  }

  /** Whether a container of this id, of the earlier life, is awaited: it may open its stream to be adopted. */
  boolean awaits(String containerId) {
    return adoptions.awaits(containerId);
  }

  /** Stops a run: cancels its unfinished calls, stops its containers and waits until they are gone. */
  public void stopApp(String appId) {
    apps.stopApp(appId, calls::cancelMapsOf);
  }

  private void stopQuietly(String appId, String why) {
    try {
      stopApp(appId);
      System.getLogger(ControlPlane.class.getName())
          .log(System.Logger.Level.INFO, "stopped app " + appId + ": " + why);
    } catch (RuntimeException e) {
      // Stopped by someone else in the meantime.
    }
  }

  public void heartbeat(String appId) {
    apps.heartbeat(appId);
  }

  public LookupFunctionResponse lookupFunction(String environment, String appName, String functionName) {
    return apps.lookupFunction(environment, appName, functionName);
  }

  public List<AppSummary> listApps(String environment) {
    return apps.listApps(environment);
  }

  /** Makes an older version of a deployed app current again; see {@link Apps#rollback}. */
  public RollbackAppResponse rollbackApp(String environment, String appName, int version) {
    return apps.rollback(environment, appName, version);
  }

  /** Adds functions to a running app; see {@link Apps#registerFunctions}. */
  public Map<String, String> registerFunctions(String appId, List<FunctionDefinition> definitions) {
    return apps.registerFunctions(appId, definitions);
  }

  /** Changes a pool's scaling settings at once; see {@link Apps#updateAutoscaler}. */
  public FunctionDefinition updateAutoscaler(String functionId, AutoscalerUpdate update) {
    return apps.updateAutoscaler(functionId, update);
  }

  /** The pool's id in a function id; see {@link FunctionIds#poolIdOf}. */
  static String poolIdOf(String functionId) {
    return FunctionIds.poolIdOf(functionId);
  }

  /** The method a function id calls in a Cls pool; see {@link FunctionIds#methodOf}. */
  static String methodOf(String functionId) {
    return FunctionIds.methodOf(functionId);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Logs.

  /**
   * The log of an app, by id or name in an environment: what is in its bounded buffer, and with a reader that
   * follows it, what comes next until the app has stopped.
   */
  AppLog log(String app, String environment) {
    if (app.isEmpty()) {
      throw CoreException.invalid("name the app whose logs to stream, or the call whose logs to read");
    }
    return logs.find(app, Apps.environment(environment));
  }

  /** The log of the app that call {@code callId} belongs to: where its lines and its failures are. */
  AppLog logOfCall(String callId) {
    String appId = calls.appOfCall(callId).orElseThrow(() ->
        new CoreException(CoreException.Kind.NOT_FOUND, "no call " + BoundedQuote.of(callId)));
    return logs.find(appId, "");
  }

  // ---------------------------------------------------------------------------------------------------------
  // Calls: see Calls.

  /**
   * Creates a call for each spawn, stores them all in one batch and then queues them. The future completes once
   * they are stored, with one outcome per spawn in order: a spawn of an unknown function fails alone. A spawn with
   * an idempotency key that a call of the same app holds gets that call's id and makes no call.
   */
  public CompletableFuture<List<SpawnOutcome>> spawn(List<SpawnRequest> spawns) {
    return calls.spawn(spawns);
  }

  /** Creates a call with one input; {@code done} receives its result. Returns the call's id. */
  public String call(String functionId, Payload args, Consumer<CallResponse> done) {
    return calls.call(functionId, args, done);
  }

  /** Opens a map whose results go to {@code sink}. */
  public MapSession openMap(String functionId, MapCallRecord.Sink sink) {
    return calls.openMap(functionId, sink);
  }

  /** Opens a detached map; its inputs are stored as they arrive. */
  public SpawnMapSession openSpawnMap(String functionId) {
    return calls.openSpawnMap(functionId);
  }

  /** Opens a detached map whose client made {@code idempotencyKey} for it (empty for none). */
  public SpawnMapSession openSpawnMap(String functionId, String idempotencyKey) {
    return calls.openSpawnMap(functionId, idempotencyKey);
  }

  /** How far a detached map has come. */
  public MapProgressView mapProgress(String mapId) {
    return calls.mapProgress(mapId);
  }

  /** A page of a detached map's results in input order; see {@link Calls#mapResults}. */
  public GetMapResultsResponse mapResults(String mapId, long fromIndex, int limit) {
    return calls.mapResults(mapId, fromIndex, limit);
  }

  /** A page of a detached map's results as its inputs finish; see {@link Calls#mapResultsUnordered}. */
  public GetMapResultsResponse mapResultsUnordered(String mapId, long fromIndex, int limit, BitSet returned) {
    return calls.mapResultsUnordered(mapId, fromIndex, limit, returned);
  }

  /** Cancels every input of a detached map that has not finished. */
  public void cancelMap(String mapId) {
    calls.cancelMap(mapId);
  }

  /** Answers with the call's result once it has one, or with "not done" after {@code timeoutMillis}. */
  public void awaitResult(String callId, long timeoutMillis, Consumer<AwaitResultResponse> answer) {
    calls.awaitResult(callId, timeoutMillis, answer);
  }

  public void cancelCall(String callId, boolean terminateContainers) {
    calls.cancelCall(callId, terminateContainers);
  }

  public CallState callState(String callId) {
    return calls.callState(callId);
  }

  /** Forgets results older than the retention period; runs every minute, and on demand in tests. */
  public int expireResults() {
    lastExpiryMillis = clock.millis();
    return calls.expireResults();
  }

  /**
   * {@inheritDoc} A call still in memory is answered from there; one that has left it (a spawned call finished and
   * stored) from the store, which keeps every spawned call while its result is retained.
   */
  @Override
  public Optional<String> appOfCall(String callId) {
    return calls.appOfCall(callId);
  }

  @Override
  public Optional<String> appOfMap(String mapId) {
    return calls.appOfMap(mapId);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Containers.

  /** Finds the container that says hello with this id and token; null if there is none. */
  ContainerRecord container(String id, String token) {
    return containers.find(id, token).orElse(null);
  }

  /**
   * Adopts a container of the control plane's earlier life that reconnected with a resuming hello, if it is one
   * this life awaits and the token is its own; see {@link Adoptions#adopt}.
   */
  Optional<Adoptions.Adopted> adopt(String id, String token, List<String> heldInputIds) {
    return adoptions.adopt(id, token, heldInputIds);
  }

  /** Whether an id and token belong to a live container: its credential for calls of its own. */
  public boolean isContainerCredential(String id, String token) {
    return container(id, token) != null;
  }

  /** The live container with this id and token, as a caller: what its credential may reach. */
  public Optional<Caller.Container> containerCaller(String id, String token) {
    ContainerRecord c = container(id, token);
    return c == null ? Optional.empty()
        : Optional.of(new Caller.Container(c.id, c.pool.app.id, c.pool.name(), c.pool.definition.getVolumesList()));
  }

  @Override
  public Optional<FunctionOwner> functionOwner(String functionId) {
    return apps.functionOwner(functionId);
  }

  @Override
  public List<dev.shoal.protocol.v1.VolumeMount> mountsOfApp(String appId) {
    return apps.mountsOfApp(appId);
  }

  @Override
  public List<String> secretsOfApp(String appId) {
    return apps.secretsOfApp(appId);
  }

  public ArtifactStore artifacts() {
    if (artifacts == null) {
      throw new CoreException(CoreException.Kind.UNIMPLEMENTED, "this engine takes local classpaths, not uploads");
    }
    return artifacts;
  }

  /** The state of the pool that serves {@code functionId} (a function, or a method of a class). */
  public PoolStats functionStats(String functionId) {
    return apps.pool(functionId).stats();
  }

  /** The id of a running app's function, found by names; for tests and diagnostics. */
  public Optional<String> functionId(String appName, String functionName) {
    return apps.poolNamed(appName, functionName).map(p -> p.id);
  }

  /** The state of a running app's function pool, found by names; for tests and diagnostics. */
  public Optional<PoolStats> poolStats(String appName, String functionName) {
    return apps.poolNamed(appName, functionName).map(FunctionPool::stats);
  }

  /**
   * The active apps whose functions mount the volume {@code name}, as {@code "name (id)"}: a volume they mount must
   * not be deleted under them.
   */
  public List<String> appsMountingVolume(String name) {
    return apps.appsMountingVolume(name);
  }

  /** How many containers are live on every backend; for tests and diagnostics. */
  public int liveContainers() {
    return backends.values().stream().mapToInt(BackendSlot::live).sum();
  }

  /**
   * Stops the control plane. Detached and deployed apps are left as the store has them, for the next start to
   * recover. What becomes of their containers depends on the backend: one whose containers can outlive the control
   * plane ({@link ContainerBackend#handsOverContainers}, Kubernetes pods) hands them over to the next life, as a
   * crash would leave them, and its ephemeral runs are left too (their clients may reconnect); the containers of
   * any other backend are stopped, and so are its ephemeral runs.
   */
  @Override
  public void close() {
    for (AppRecord app : List.copyOf(apps.apps.values())) {
      if (app.state == AppState.RUNNING && !app.backend.backend().handsOverContainers()) {
        stopQuietly(app.id, "the control plane is shutting down");
      }
    }
    boolean handOver = backends.values().stream().anyMatch(b -> b.backend().handsOverContainers());
    // No tick from now on: it would time out, scale down or replace containers that are being handed over.
    scheduler.close();
    if (handOver) {
      handingOver = true;
      // Their streams break as if this process had ended, before the last writes are flushed: an output that
      // arrived until now is stored, and the containers keep the rest for the next life.
      int n = containers.handOver();
      System.getLogger(ControlPlane.class.getName()).log(System.Logger.Level.INFO, "stopping: " + n
          + " containers keep running, for the next control plane to adopt");
    }
    writer.close();
    backends.values().forEach(b -> {
      if (b.backend().handsOverContainers()) {
        b.backend().handOver();
      } else {
        b.backend().close();
      }
    });
  }

  /**
   * Whether the control plane is stopping and handing its containers over to its next life: a container that
   * reconnects meanwhile is told to try again, so that the next life adopts it.
   */
  boolean handingOver() {
    return handingOver;
  }

  /** The control plane as its pools see it. */
  private final class Host implements PoolHost {
    @Override
    public long nowMillis() {
      return clock.millis();
    }

    @Override
    public Secrets secrets() {
      return secrets;
    }

    @Override
    public void schedule(long delayMillis, Runnable task) {
      scheduler.schedule(delayMillis, task);
    }

    @Override
    public ContainerDirectory containers() {
      return containers;
    }

    @Override
    public void attemptMade(InputRecord input) {
      if (input.call instanceof SingleCall || input.call instanceof SpawnedMapRecord) {
        writer.attempt(new CallAttempt(input.id, input.attempt));
      }
    }

    /**
     * Asks another pool on the same backend to stop one idle container, so that {@code starved}, which has work
     * and no room, can start one. Each pool is locked in turn, never two at once.
     */
    @Override
    public void roomWanted(FunctionPool starved) {
      for (FunctionPool pool : apps.pools.values()) {
        if (pool != starved && pool.app.backend == starved.app.backend && pool.yieldIdleContainer()) {
          return;
        }
      }
    }

    @Override
    public List<ActivityListener> listeners() {
      return activity.listeners();
    }

    @Override
    public Activity activity() {
      return activity;
    }

    @Override
    public BlobRouting blobs() {
      return blobs;
    }

    @Override
    public void forget(CallRecord call) {
      calls.forget(call);
    }
  }
}
