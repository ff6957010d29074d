package dev.shoal.internal.controlplane;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.blob.BlobStore;
import dev.shoal.internal.store.AppState;
import dev.shoal.internal.store.CallAttempt;
import dev.shoal.internal.store.CallCompletion;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredApp;
import dev.shoal.internal.store.StoredCall;
import dev.shoal.protocol.v1.AppSummary;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.BlobRef;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.CallState;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.LookupFunctionResponse;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The control plane: apps and their function pools, calls and their results, and the containers that serve
 * them. The gRPC services are thin adapters over this class.
 *
 * <p>Scheduling happens in memory. What must outlive the process — apps, spawned calls with their inputs and
 * results, detached maps — is written through to the {@link StateStore} before the caller is answered, and
 * {@link #recover()} puts it back after a restart. Results of {@code remote} and {@code map} are not stored:
 * their callers are connected and receive them directly.
 */
public final class ControlPlane implements AutoCloseable, Ownership {
  /** How often timeouts, start-up limits and the autoscaler are checked. */
  static final long TICK_MILLIS = 100;
  /** An ephemeral run whose client has not sent a heartbeat for this long is stopped. */
  static final long CLIENT_HEARTBEAT_TIMEOUT_MILLIS = 15_000;
  static final String DEFAULT_ENVIRONMENT = "main";
  private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final long STOP_APP_GRACE_MILLIS = 3_000;
  private static final long STOP_APP_WAIT_MILLIS = 15_000;
  private static final long EXPIRY_EVERY_MILLIS = 60_000;
  private static final long BLOB_SWEEP_EVERY_MILLIS = 60_000;

  private static final int RECENT_RESULTS = 100_000;
  private static final long RECENT_RESULT_BYTES = 64L << 20;

  private final Clock clock;
  private final StateStore store;
  private final DurableWriter writer;
  private final Duration retention;
  private final ArtifactStore artifacts;
  private final Map<String, BackendSlot> backends = new ConcurrentHashMap<>();
  private final String defaultBackend;
  private final Scheduler scheduler;
  private final Map<String, AppRecord> apps = new ConcurrentHashMap<>();
  private final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();
  private final Map<String, CallRecord> calls = new ConcurrentHashMap<>();
  private final ContainerDirectory containers = new ContainerDirectory();
  /** What the pools, and the calls they run, may ask of the control plane: nothing else of it. */
  private final PoolHost host = new Host();
  private final SpawnKeys spawnKeys = new SpawnKeys();
  /**
   * The ids of keyed detached maps being uploaded, by app and key: a second upload of a map that has stored no input
   * yet finds its id here, since the store cannot find it by its first input's key yet. Forgotten once the map is
   * stored whole.
   */
  private final Map<String, String> mapKeys = new ConcurrentHashMap<>();
  /** Spawned calls' results once stored: collecting many results then costs no reads of the store. */
  private final RecentResults recentResults = new RecentResults(RECENT_RESULTS, RECENT_RESULT_BYTES);
  /** Queues stored spawns and answers their callers, so that the store's writer thread goes on writing. */
  private final Executor afterStore = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("shoal-spawned-", 0).factory());
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
    this.writer = new DurableWriter(store);
    this.retention = retention;
    this.artifacts = artifacts;
    this.defaultBackend = defaultBackend;
    this.lastExpiryMillis = clock.millis();
    this.activity = new Activity(clock, apps, logs);
    this.scheduler = scheduler;
    scheduler.scheduleEvery(TICK_MILLIS, this::tick);
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
    for (FunctionPool pool : pools.values()) {
      try {
        pool.tick();
      } catch (RuntimeException e) {
        // One pool's failure must not stop the timer for every other pool.
        System.getLogger(ControlPlane.class.getName())
            .log(System.Logger.Level.WARNING, "tick of function " + pool.name() + " failed", e);
      }
    }
    long now = clock.millis();
    for (AppRecord app : apps.values()) {
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

  /** Forgets results older than the retention period; runs every minute, and on demand in tests. */
  public int expireResults() {
    lastExpiryMillis = clock.millis();
    Instant cutoff = clock.instant().minus(retention);
    recentResults.expireBefore(cutoff);
    return store.expireFinishedBefore(cutoff);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Apps.

  public StartAppResponse startApp(StartAppRequest request) {
    String environment = environment(request.getEnvironment());
    AppState state = request.getDeploy() ? AppState.DEPLOYED : request.getDetach() ? AppState.DETACHED
        : AppState.RUNNING;
    int version = 0;
    if (request.getDeploy()) {
      synchronized (this) {
        // One more than any version this name ever had, deployed or since stopped: versions are never reused.
        version = store.apps(environment).stream()
            .filter(a -> a.name().equals(request.getAppName()))
            .mapToInt(StoredApp::version)
            .max()
            .orElse(0) + 1;
      }
    }
    Map<String, String> functionIds = new LinkedHashMap<>();
    for (FunctionDefinition f : request.getFunctionsList()) {
      functionIds.put(f.getName(), Ids.next("fu"));
    }
    AppRecord app = createApp(Ids.next("ap"), request, environment, functionIds, state, version);
    store.putApp(new StoredApp(app.id, environment, app.name, state, version, request.toByteArray(), app.functionIds(),
        clock.instant()));
    activate(app);
    return StartAppResponse.newBuilder()
        .setAppId(app.id)
        .putAllFunctionIds(app.functionIds())
        .setVersion(version)
        .build();
  }

  private static String environment(String requested) {
    String environment = requested.isEmpty() ? DEFAULT_ENVIRONMENT : requested;
    if (!ENVIRONMENT.matcher(environment).matches()) {
      throw new CoreException(CoreException.Kind.INVALID_ARGUMENT,
          "environment must be 1..63 characters of [a-z0-9-], was " + BoundedQuote.of(environment));
    }
    return environment;
  }

  private AppRecord createApp(String appId, StartAppRequest request, String environment,
      Map<String, String> functionIds, AppState state, int version) {
    String backendName = request.getBackend().isEmpty() ? defaultBackend : request.getBackend();
    BackendSlot slot = backends.get(backendName);
    if (slot == null) {
      throw new CoreException(CoreException.Kind.INVALID_ARGUMENT,
          "this engine has no backend named " + BoundedQuote.of(backendName) + "; it has "
              + backends.keySet());
    }
    AppRecord app = new AppRecord(appId, request.getAppName(), environment, request.getAppClass(),
        resolveClasspath(request.getClasspathList()), slot, state, version, clock.millis(),
        logs.open(appId, request.getAppName(), environment));
    for (FunctionDefinition f : request.getFunctionsList()) {
      app.pools.put(f.getName(), new FunctionPool(host, app, functionIds.get(f.getName()), f));
    }
    return app;
  }

  private List<String> resolveClasspath(List<String> entries) {
    List<String> resolved = new ArrayList<>(entries.size());
    for (String entry : entries) {
      if (!entry.startsWith("sha256:")) {
        resolved.add(entry);
        continue;
      }
      String hash = entry.substring("sha256:".length());
      if (artifacts == null || !artifacts.has(hash)) {
        throw new CoreException(CoreException.Kind.FAILED_PRECONDITION,
            "artifact " + BoundedQuote.of(hash) + " has not been uploaded to this engine");
      }
      resolved.add(artifacts.path(hash).toString());
    }
    return resolved;
  }

  private void activate(AppRecord app) {
    apps.put(app.id, app);
    app.pools.values().forEach(p -> pools.put(p.id, p));
    // Pools with warm containers start them now rather than at the first tick.
    app.pools.values().forEach(FunctionPool::tick);
  }

  /**
   * Puts back what the store says was going on: every active app, and every spawned call that has no result
   * yet, in the order they were made. Called once, after the backends are added.
   */
  public void recover() {
    for (StoredApp stored : store.activeApps()) {
      StartAppRequest request;
      try {
        request = StartAppRequest.parseFrom(stored.spec());
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("app " + stored.appId() + " in the store cannot be read", e);
      }
      AppRecord app;
      try {
        app = createApp(stored.appId(), request, stored.environment(), stored.functionIds(), stored.state(),
            stored.version());
      } catch (RuntimeException e) {
        System.getLogger(ControlPlane.class.getName()).log(System.Logger.Level.ERROR,
            "cannot restore app " + stored.appId() + " (" + stored.name() + "); stopping it", e);
        store.setAppState(stored.appId(), AppState.STOPPED, clock.instant());
        continue;
      }
      activate(app);
      Map<String, SpawnedMapRecord> maps = new HashMap<>();
      for (StoredCall c : store.unfinishedCalls(app.id)) {
        FunctionPool pool = pools.get(poolIdOf(c.functionId()));
        if (pool == null) {
          continue;
        }
        String method = methodOf(c.functionId());
        Payload.Builder args = Payload.newBuilder().setCodec(c.argsCodec());
        if (c.argsBlob() != null) {
          args.setBlob(BlobRef.newBuilder().setSha256(c.argsBlob()));
        } else {
          args.setData(com.google.protobuf.ByteString.copyFrom(c.args()));
        }
        InputRecord input;
        if (c.mapId() == null) {
          SingleCall call = new SingleCall(c.callId(), pool,
              r -> recordResult(c.callId(), pool, r, c.idempotencyKey()));
          if (c.idempotencyKey() != null) {
            spawnKeys.hold(app.id, c.idempotencyKey(), c.callId());
          }
          call.method = method;
          call.spawned = true;
          call.activity().submitted(1);
          input = new InputRecord(c.callId(), call, 0, args.build());
          call.input = input;
          calls.put(call.id, call);
        } else {
          SpawnedMapRecord map = maps.computeIfAbsent(c.mapId(), id -> {
            SpawnedMapRecord m = new SpawnedMapRecord(id, pool, writer, clock);
            m.method = method;
            calls.put(id, m);
            return m;
          });
          input = new InputRecord(c.callId(), map, c.index(), args.build());
        }
        input.attempt = c.attempt();
        pool.submit(List.of(input));
      }
    }
  }

  /** Stops a run: cancels its unfinished calls, stops its containers and waits until they are gone. */
  public void stopApp(String appId) {
    AppRecord app = apps.remove(appId);
    if (app == null) {
      Optional<StoredApp> stored = store.app(appId);
      if (stored.isPresent() && stored.get().state() != AppState.STOPPED) {
        store.setAppState(appId, AppState.STOPPED, clock.instant());
        return;
      }
      throw new CoreException(CoreException.Kind.NOT_FOUND, "no running app " + BoundedQuote.of(appId));
    }
    app.stopped = true;
    app.state = AppState.STOPPED;
    store.setAppState(appId, AppState.STOPPED, clock.instant());
    String why = "app " + app.name + " was stopped";
    for (CallRecord call : List.copyOf(calls.values())) {
      if (call.pool.app == app && call instanceof MapCallRecord) {
        call.cancel(why);
      }
    }
    app.pools.values().forEach(p -> p.stop(why));
    // A Cls pool's containers get long enough for their instances' close(), and a pool mounting volumes for its
    // containers' final commits.
    long grace = Math.max(STOP_APP_GRACE_MILLIS,
        app.pools.values().stream().filter(FunctionPool::slowToStop)
            .mapToLong(FunctionPool::stopGraceMillis).max().orElse(0));
    if (!app.awaitContainersGone(scheduler, grace)) {
      app.pools.values().forEach(FunctionPool::killAll);
      app.handles.forEach(h -> h.kill());
      app.awaitContainersGone(scheduler, STOP_APP_WAIT_MILLIS - STOP_APP_GRACE_MILLIS);
    }
    app.pools.values().forEach(p -> pools.remove(p.id));
    logs.stopped(app.log);
    activity.appStopped(app);
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
    AppRecord app = apps.get(appId);
    if (app == null) {
      throw new CoreException(CoreException.Kind.NOT_FOUND,
          "no running app " + BoundedQuote.of(appId) + "; it may have been stopped");
    }
    if (app.lastHeartbeatMillis != Long.MAX_VALUE) {
      app.lastHeartbeatMillis = clock.millis();
    }
  }

  public LookupFunctionResponse lookupFunction(String environment, String appName, String functionName) {
    String env = environment(environment);
    StoredApp deployed = store.deployed(env, appName).orElseThrow(() -> CoreException.notFound(
        "no deployed app " + BoundedQuote.of(appName) + " in environment " + env
            + "; deploy it first"));
    AppRecord app = apps.get(deployed.appId());
    String functionId = deployed.functionIds().get(functionName);
    if (app == null && functionId != null) {
      // Deployed in the store but not in memory: the server restarted and recover() has not reached it yet.
      throw new CoreException(CoreException.Kind.UNAVAILABLE,
          "deployed app '" + appName + "' is being restored after a restart; try again");
    }
    if (app == null || functionId == null) {
      throw new CoreException(CoreException.Kind.NOT_FOUND,
          "deployed app " + BoundedQuote.of(appName) + " (version " + deployed.version()
              + ") has no function " + BoundedQuote.of(functionName) + "; it has " + deployed.functionIds().keySet());
    }
    return LookupFunctionResponse.newBuilder()
        .setFunctionId(functionId)
        .setAppClass(app.appClass)
        .setAppId(app.id)
        .setVersion(deployed.version())
        .build();
  }

  public List<AppSummary> listApps(String environment) {
    List<AppSummary> summaries = new ArrayList<>();
    for (StoredApp a : store.apps(environment(environment))) {
      summaries.add(AppSummary.newBuilder()
          .setAppId(a.appId())
          .setName(a.name())
          .setState(a.state().name().toLowerCase(java.util.Locale.ROOT))
          .setVersion(a.version())
          .setCreatedAtMs(a.createdAt().toEpochMilli())
          .addAllFunctions(a.functionIds().keySet())
          .build());
    }
    return summaries;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Calls.

  private FunctionPool pool(String functionId) {
    FunctionPool pool = pools.get(poolIdOf(functionId));
    if (pool != null && !methodOf(functionId).isEmpty()
        && !pool.definition.getMethodsList().contains(methodOf(functionId))) {
      throw new CoreException(CoreException.Kind.NOT_FOUND,
          "class " + pool.name() + " has no method " + BoundedQuote.of(methodOf(functionId)));
    }
    if (pool == null) {
      if (restoring(poolIdOf(functionId))) {
        throw new CoreException(CoreException.Kind.UNAVAILABLE,
            "the app of function " + functionId + " is being restored after a restart; try again");
      }
      throw new CoreException(CoreException.Kind.NOT_FOUND,
          "no function " + BoundedQuote.of(functionId) + " in a running app; was its app stopped?");
    }
    return pool;
  }

  /**
   * Whether a function belongs to an app that the store has as active but that is not in memory yet: a server
   * takes calls from the moment it listens, before {@link #recover()} has put its apps back, and a client that
   * retries through the restart must hear "try again" then rather than that its function is gone.
   */
  private boolean restoring(String poolId) {
    return store.activeApps().stream()
        .anyMatch(a -> !apps.containsKey(a.appId()) && a.functionIds().containsValue(poolId));
  }

  /** The pool's id in a function id: a Cls method is called through its pool's id, a slash and its name. */
  static String poolIdOf(String functionId) {
    int slash = functionId.indexOf('/');
    return slash < 0 ? functionId : functionId.substring(0, slash);
  }

  /** The method a function id calls in a Cls pool; empty for a plain function. */
  static String methodOf(String functionId) {
    int slash = functionId.indexOf('/');
    return slash < 0 ? "" : functionId.substring(slash + 1);
  }

  /**
   * Adds functions to a running app, such as the pool of a Cls parameter set first used after the run started,
   * and returns the ids of the functions asked for (with their methods). A function the app already has keeps
   * its pool and id, so that concurrent callers asking for the same parameter set share one pool.
   */
  public Map<String, String> registerFunctions(String appId, List<FunctionDefinition> definitions) {
    AppRecord app = apps.get(appId);
    if (app == null) {
      throw new CoreException(CoreException.Kind.NOT_FOUND, "no running app " + BoundedQuote.of(appId));
    }
    List<FunctionPool> added = new ArrayList<>();
    synchronized (app) {
      for (FunctionDefinition f : definitions) {
        if (!app.pools.containsKey(f.getName())) {
          FunctionPool pool = new FunctionPool(host, app, Ids.next("fu"), f);
          app.pools.put(f.getName(), pool);
          pools.put(pool.id, pool);
          added.add(pool);
        }
      }
      if (!added.isEmpty()) {
        storeAddedFunctions(app, added);
      }
    }
    if (app.stopped) {
      added.forEach(p -> p.stop("app " + app.name + " was stopped"));
    }
    added.forEach(FunctionPool::tick);
    Map<String, String> all = app.functionIds();
    Map<String, String> ids = new LinkedHashMap<>();
    for (FunctionDefinition f : definitions) {
      ids.put(f.getName(), all.get(f.getName()));
      for (String method : app.pools.get(f.getName()).definition.getMethodsList()) {
        ids.put(f.getName() + "." + method, all.get(f.getName() + "." + method));
      }
    }
    return ids;
  }

  /** Adds new pools to the stored app, so that a restart brings them back with the same ids. */
  private void storeAddedFunctions(AppRecord app, List<FunctionPool> added) {
    store.app(app.id).ifPresent(stored -> {
      StartAppRequest.Builder spec;
      try {
        spec = StartAppRequest.parseFrom(stored.spec()).toBuilder();
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("app " + app.id + " in the store cannot be read", e);
      }
      added.forEach(p -> spec.addFunctions(p.definition));
      store.putApp(new StoredApp(stored.appId(), stored.environment(), stored.name(), stored.state(),
          stored.version(), spec.build().toByteArray(), app.functionIds(), stored.createdAt()));
    });
  }

  /**
   * The log of an app, by id or name in an environment: what is in its bounded buffer, and with a reader that
   * follows it, what comes next until the app has stopped.
   */
  AppLog log(String app, String environment) {
    if (app.isEmpty()) {
      throw CoreException.invalid("name the app whose logs to stream");
    }
    return logs.find(app, environment(environment));
  }

  /**
   * Creates a call for each spawn, stores them all in one batch and then queues them. The future completes once
   * they are stored, with one outcome per spawn in order: a spawn of an unknown function fails alone.
   *
   * <p>A spawn that carries an idempotency key held by a call of the same app gets that call's id and makes no
   * call: the client sent it again because an earlier attempt's answer was lost, or the server restarted under it.
   * A key held by a call still in memory is answered here once that call is stored; one held only in the store is
   * found by the store as it inserts the batch.
   */
  public CompletableFuture<List<SpawnOutcome>> spawn(List<SpawnRequest> spawns) {
    SpawnOutcome[] outcomes = new SpawnOutcome[spawns.size()];
    List<AcceptedSpawn> accepted = new ArrayList<>();
    List<StoredCall> rows = new ArrayList<>();
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    Instant now = clock.instant();
    for (int i = 0; i < spawns.size(); i++) {
      SpawnRequest spawn = spawns.get(i);
      String key = spawn.getIdempotencyKey();
      FunctionPool pool;
      try {
        pool = pool(spawn.getFunctionId());
        if (!key.isEmpty()) {
          SpawnKeys.requireValid(key);
        }
        blobs.requireArgument(spawn.getArgs());
      } catch (CoreException e) {
        outcomes[i] = failedSpawn(e);
        continue;
      }
      String id = Ids.next("fc");
      SpawnKeys.Claim claim = null;
      if (!key.isEmpty()) {
        claim = new SpawnKeys.Claim(id);
        SpawnKeys.Claim holder = spawnKeys.claim(pool.app.id, key, claim);
        if (holder != null) {
          int index = i;
          waits.add(holder.stored.handle((heldBy, failure) -> {
            outcomes[index] = heldBy != null ? SpawnOutcome.newBuilder().setCallId(heldBy).build()
                : failedSpawn(CoreException.unavailable("the first spawn with idempotency key " + key
                    + " could not be stored; try again: " + failure));
            return null;
          }));
          continue;
        }
      }
      SingleCall call = new SingleCall(id, pool, r -> recordResult(id, pool, r, key));
      call.method = methodOf(spawn.getFunctionId());
      call.spawned = true;
      call.input = new InputRecord(id, call, 0, spawn.getArgs());
      accepted.add(new AcceptedSpawn(i, call, key, claim));
      rows.add(StoredCall.pending(id, pool.app.id, spawn.getFunctionId(), null, 0, spawn.getArgs().getCodec(),
          spawn.getArgs().getData().toByteArray(), BlobRouting.blobOf(spawn.getArgs()), now)
          .withIdempotencyKey(key.isEmpty() ? null : key));
      outcomes[i] = SpawnOutcome.newBuilder().setCallId(id).build();
    }
    if (!accepted.isEmpty()) {
      waits.add(writer.insert(rows).handleAsync((duplicates, failure) -> {
        queueStored(outcomes, accepted, duplicates, failure);
        return null;
      }, afterStore));
    }
    return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).thenApply(done -> List.of(outcomes));
  }

  /** A spawn of a batch that made a call: its place in the batch, its call, and the key it claimed, if any. */
  private record AcceptedSpawn(int index, SingleCall call, String key, SpawnKeys.Claim claim) {}

  /**
   * Queues the calls of a spawn batch once the store has them, and settles their keys: a call the store left out
   * because its key was held answers with the holder's id instead. If the batch could not be stored, its keys are
   * given up, so that the client's next attempt claims them afresh, and the failure goes on to the caller.
   */
  private void queueStored(SpawnOutcome[] outcomes, List<AcceptedSpawn> accepted, Map<String, String> duplicates,
      Throwable failure) {
    if (failure != null) {
      for (AcceptedSpawn a : accepted) {
        if (a.claim() != null) {
          a.claim().stored.completeExceptionally(failure);
          spawnKeys.release(a.call().pool.app.id, a.key(), a.claim());
        }
      }
      throw failure instanceof CompletionException c ? c : new CompletionException(failure);
    }
    Map<FunctionPool, List<InputRecord>> byPool = new LinkedHashMap<>();
    for (AcceptedSpawn a : accepted) {
      SingleCall call = a.call();
      if (duplicates.containsKey(call.id)) {
        // The store held the key already: the call that holds it answers, and this one never existed.
        String heldBy = duplicates.get(call.id);
        if (heldBy != null) {
          outcomes[a.index()] = SpawnOutcome.newBuilder().setCallId(heldBy).build();
          a.claim().stored.complete(heldBy);
        } else {
          outcomes[a.index()] = failedSpawn(CoreException.unavailable(
              "the call holding idempotency key " + a.key() + " could not be found; try again"));
          a.claim().stored.completeExceptionally(new IllegalStateException("no call holds key " + a.key()));
        }
        spawnKeys.release(call.pool.app.id, a.key(), a.claim());
        continue;
      }
      if (a.claim() != null) {
        a.claim().stored.complete(call.id);
      }
      call.activity().submitted(1);
      calls.put(call.id, call);
      byPool.computeIfAbsent(call.pool, p -> new ArrayList<>()).add(call.input);
    }
    byPool.forEach(FunctionPool::submit);
  }

  private static SpawnOutcome failedSpawn(CoreException e) {
    return SpawnOutcome.newBuilder().setErrorCode(e.kind().code()).setErrorMessage(e.getMessage()).build();
  }

  /**
   * Records a spawned call's result; once it is durable, the call no longer needs to be held in memory, and the
   * store answers for its idempotency key.
   */
  private void recordResult(String callId, FunctionPool pool, Result result, String idempotencyKey) {
    Instant finishedAt = clock.instant();
    writer.complete(new CallCompletion(callId, SpawnedMapRecord.state(result), result.toByteArray(), finishedAt,
            BlobRouting.blobOf(result)),
        () -> {
          recentResults.put(callId, new RecentResults.Entry(result, pool.app.appClass, finishedAt));
          calls.remove(callId);
          if (idempotencyKey != null && !idempotencyKey.isEmpty()) {
            spawnKeys.released(pool.app.id, idempotencyKey, callId);
          }
        });
  }

  /** Creates a call with one input; {@code done} receives its result. Returns the call's id. */
  public String call(String functionId, Payload args, Consumer<CallResponse> done) {
    FunctionPool pool = pool(functionId);
    blobs.holdArgument(args);
    String id = Ids.next("fc");
    SingleCall call = new SingleCall(id, pool, r -> { });
    call.method = methodOf(functionId);
    InputRecord input = new InputRecord(id, call, 0, args);
    call.input = input;
    call.activity().submitted(1);
    calls.put(id, call);
    call.onResult(result -> {
      calls.remove(id);
      blobs.releaseArgument(args);
      blobs.delivering(result);
      done.accept(CallResponse.newBuilder().setCallId(id).setResult(result).build());
    });
    pool.submit(List.of(input));
    return id;
  }

  /** Opens a map whose results go to {@code sink}. */
  public MapSession openMap(String functionId, MapCallRecord.Sink sink) {
    FunctionPool pool = pool(functionId);
    MapCallRecord call = new MapCallRecord(Ids.next("fc"), pool, sink);
    call.method = methodOf(functionId);
    call.activity();
    calls.put(call.id, call);
    return new MapSession(call);
  }

  /** Opens a detached map; its inputs are stored as they arrive. */
  public SpawnMapSession openSpawnMap(String functionId) {
    return openSpawnMap(functionId, "");
  }

  /**
   * Opens a detached map whose client made {@code idempotencyKey} for it (empty for none). A key this app has seen
   * before resumes that map: its id, its record if it still runs here (or was put back by {@link #recover()}), and
   * the store's copy of every input already stored, which is not stored or queued again.
   */
  public SpawnMapSession openSpawnMap(String functionId, String idempotencyKey) {
    FunctionPool pool = pool(functionId);
    if (idempotencyKey.isEmpty()) {
      SpawnedMapRecord map = new SpawnedMapRecord(Ids.next("fc"), pool, writer, clock);
      map.method = methodOf(functionId);
      map.activity();
      return new SpawnMapSession(map, writer, store, calls, clock, null, () -> { });
    }
    SpawnMapSession.requireValidKey(idempotencyKey);
    String mapId = store.callWithKey(pool.app.id, SpawnMapSession.inputKey(idempotencyKey, 0))
        .map(StoredCall::mapId)
        .orElseGet(() -> mapKeys.computeIfAbsent(pool.app.id + "\n" + idempotencyKey, k -> Ids.next("fc")));
    // The record of an upload that broke, or that recover() put back, goes on: the map's inputs are counted and
    // cancelled together however many uploads brought them.
    SpawnedMapRecord map = (SpawnedMapRecord) calls.compute(mapId, (id, running) ->
        running instanceof SpawnedMapRecord m && m.pool == pool ? m : new SpawnedMapRecord(id, pool, writer, clock));
    map.method = methodOf(functionId);
    map.activity();
    String scopedKey = pool.app.id + "\n" + idempotencyKey;
    return new SpawnMapSession(map, writer, store, calls, clock, idempotencyKey,
        () -> mapKeys.remove(scopedKey, mapId));
  }

  /** How far a detached map has come. */
  public MapProgressView mapProgress(String mapId) {
    var stored = store.map(mapId).orElseThrow(() ->
        new CoreException(CoreException.Kind.NOT_FOUND, "no detached map " + BoundedQuote.of(mapId)));
    var counts = store.mapCounts(mapId);
    CallRecord live = calls.get(mapId);
    long running = live == null ? 0 : live.pool.leasedInputsOf(live);
    return new MapProgressView(stored.total(), Math.max(0, counts.pending() - running), running,
        counts.succeeded(), counts.failed(), counts.cancelled());
  }

  /** Cancels every input of a detached map that has not finished. */
  public void cancelMap(String mapId) {
    var stored = store.map(mapId).orElseThrow(() ->
        new CoreException(CoreException.Kind.NOT_FOUND, "no detached map " + BoundedQuote.of(mapId)));
    CallRecord live = calls.get(mapId);
    if (live != null) {
      live.cancel("map " + mapId + " was cancelled");
    }
    SpawnMapSession.cancelStoredInputs(store, stored.appId(), mapId, clock.instant());
  }

  /** Answers with the call's result once it has one, or with "not done" after {@code timeoutMillis}. */
  public void awaitResult(String callId, long timeoutMillis, Consumer<AwaitResultResponse> answer) {
    CallRecord record = calls.get(callId);
    if (!(record instanceof SingleCall call)) {
      RecentResults.Entry recent = recentResults.get(callId, clock.instant().minus(retention));
      if (recent != null) {
        answer.accept(AwaitResultResponse.newBuilder()
            .setDone(true).setResult(recent.result()).setAppClass(recent.appClass()).build());
      } else {
        awaitStored(callId, timeoutMillis, answer);
      }
      return;
    }
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
    Scheduler.Task expiry = scheduler.schedule(timeoutMillis, () -> {
      call.removeWaiter(waiter);
      if (answered.compareAndSet(false, true)) {
        answer.accept(AwaitResultResponse.newBuilder().setDone(false).setAppClass(appClass).build());
      }
    });
    if (answered.get()) {
      expiry.cancel();
    }
  }

  /** Answers from the store, for calls finished long enough ago to have left memory. */
  private void awaitStored(String callId, long timeoutMillis, Consumer<AwaitResultResponse> answer) {
    StoredCall stored = store.call(callId).filter(c -> c.mapId() == null).orElseThrow(() ->
        new CoreException(CoreException.Kind.NOT_FOUND, "no call " + BoundedQuote.of(callId)));
    AppRecord running = apps.get(stored.appId());
    String appClass = running != null ? running.appClass : store.app(stored.appId()).map(this::appClassOf).orElse("");
    AwaitResultResponse.Builder response = AwaitResultResponse.newBuilder().setAppClass(appClass);
    if (stored.expired()) {
      answer.accept(response.setDone(true).setExpired(true).build());
    } else if (stored.state().isFinal() && stored.result() != null) {
      try {
        answer.accept(response.setDone(true).setResult(Result.parseFrom(stored.result())).build());
      } catch (InvalidProtocolBufferException e) {
        throw new CoreException(CoreException.Kind.DATA_LOSS, "the stored result of " + callId + " cannot be read",
            e);
      }
    } else if (stored.state().isFinal()) {
      answer.accept(response.setDone(true).setResult(Results.cancelled("call " + callId + " was cancelled")).build());
    } else {
      // Pending in the store but not in memory: its app is not running here. Answer after the wait anyway.
      scheduler.schedule(timeoutMillis, () -> answer.accept(response.setDone(false).build()));
    }
  }

  private String appClassOf(StoredApp app) {
    try {
      return StartAppRequest.parseFrom(app.spec()).getAppClass();
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
  }

  public void cancelCall(String callId, boolean terminateContainers) {
    CallRecord call = calls.get(callId);
    if (call == null) {
      if (recentResults.get(callId, Instant.MIN) != null) {
        return; // finished already
      }
      StoredCall stored = store.call(callId).orElseThrow(() ->
          new CoreException(CoreException.Kind.NOT_FOUND, "no call " + BoundedQuote.of(callId)));
      if (!stored.state().isFinal()) {
        store.completeCalls(List.of(new CallCompletion(callId, dev.shoal.internal.store.CallState.CANCELLED,
            Results.cancelled("call " + callId + " was cancelled").toByteArray(), clock.instant())));
      }
      return;
    }
    if (terminateContainers && call instanceof SingleCall s && s.input != null) {
      s.pool.killContainerOf(s.input);
    }
    call.cancel("call " + callId + " was cancelled");
  }

  public CallState callState(String callId) {
    CallRecord call = calls.get(callId);
    if (call != null) {
      return call.state();
    }
    RecentResults.Entry recent = recentResults.get(callId, clock.instant().minus(retention));
    dev.shoal.internal.store.CallState state = recent != null
        ? SpawnedMapRecord.state(recent.result())
        : store.call(callId).orElseThrow(() ->
            new CoreException(CoreException.Kind.NOT_FOUND, "no call " + BoundedQuote.of(callId))).state();
    return switch (state) {
      case PENDING -> CallState.PENDING;
      case SUCCEEDED -> CallState.SUCCEEDED;
      case FAILED -> CallState.FAILED;
      case CANCELLED -> CallState.CANCELLED_STATE;
      case TIMED_OUT -> CallState.TIMED_OUT;
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Containers.

  /** Finds the container that says hello with this id and token; null if there is none. */
  ContainerRecord container(String id, String token) {
    return containers.find(id, token).orElse(null);
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
    FunctionPool pool = pools.get(poolIdOf(functionId));
    return pool == null ? Optional.empty()
        : Optional.of(new FunctionOwner(pool.app.id, pool.app.state == AppState.DEPLOYED));
  }

  /**
   * {@inheritDoc} A call still in memory is answered from there; one that has left it (a spawned call finished and
   * stored) from the store, which keeps every spawned call while its result is retained.
   */
  @Override
  public Optional<String> appOfCall(String callId) {
    CallRecord live = calls.get(callId);
    if (live != null) {
      return Optional.of(live.pool.app.id);
    }
    return store.call(callId).map(StoredCall::appId);
  }

  @Override
  public Optional<String> appOfMap(String mapId) {
    CallRecord live = calls.get(mapId);
    if (live != null) {
      return Optional.of(live.pool.app.id);
    }
    return store.map(mapId).map(dev.shoal.internal.store.StoredMap::appId);
  }

  @Override
  public List<dev.shoal.protocol.v1.VolumeMount> mountsOfApp(String appId) {
    AppRecord app = apps.get(appId);
    if (app == null) {
      return List.of();
    }
    return app.pools.values().stream().flatMap(p -> p.definition.getVolumesList().stream()).toList();
  }

  public ArtifactStore artifacts() {
    if (artifacts == null) {
      throw new CoreException(CoreException.Kind.UNIMPLEMENTED, "this engine takes local classpaths, not uploads");
    }
    return artifacts;
  }

  /** The state of the pool that serves {@code functionId} (a function, or a method of a class). */
  public PoolStats functionStats(String functionId) {
    return pool(functionId).stats();
  }

  /** The id of a running app's function, found by names; for tests and diagnostics. */
  public Optional<String> functionId(String appName, String functionName) {
    return poolNamed(appName, functionName).map(p -> p.id);
  }

  /** The state of a running app's function pool, found by names; for tests and diagnostics. */
  public Optional<PoolStats> poolStats(String appName, String functionName) {
    return poolNamed(appName, functionName).map(FunctionPool::stats);
  }

  /** A running app's pool, by names: a stopped app has left {@link #apps}. */
  private Optional<FunctionPool> poolNamed(String appName, String functionName) {
    return apps.values().stream()
        .filter(a -> a.name.equals(appName) && a.pools.containsKey(functionName))
        .map(a -> a.pools.get(functionName))
        .findFirst();
  }

  /**
   * The active apps whose functions mount the volume {@code name}, as {@code "name (id)"}: a volume they mount must
   * not be deleted under them.
   */
  public List<String> appsMountingVolume(String name) {
    return apps.values().stream()
        .filter(a -> !a.stopped)
        .filter(a -> a.pools.values().stream()
            .anyMatch(p -> p.definition.getVolumesList().stream().anyMatch(v -> v.getName().equals(name))))
        .map(a -> a.name + " (" + a.id + ")")
        .sorted()
        .toList();
  }

  /** How many containers are live on every backend; for tests and diagnostics. */
  public int liveContainers() {
    return backends.values().stream().mapToInt(BackendSlot::live).sum();
  }

  /**
   * Stops the control plane. Ephemeral runs stop with it; detached and deployed apps are left as the store has
   * them, for the next start to recover, and their containers are stopped.
   */
  @Override
  public void close() {
    for (AppRecord app : List.copyOf(apps.values())) {
      if (app.state == AppState.RUNNING) {
        stopQuietly(app.id, "the control plane is shutting down");
      }
    }
    scheduler.close();
    writer.close();
    backends.values().forEach(b -> b.backend().close());
  }

  /** The control plane as its pools see it. */
  private final class Host implements PoolHost {
    @Override
    public long nowMillis() {
      return clock.millis();
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
      for (FunctionPool pool : pools.values()) {
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
      calls.remove(call.id);
    }
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

    public void add(List<dev.shoal.protocol.v1.MapInput> inputs) {
      List<InputRecord> records = new ArrayList<>(inputs.size());
      BlobRouting blobs = call.pool.host.blobs();
      for (dev.shoal.protocol.v1.MapInput in : inputs) {
        try {
          blobs.holdArgument(in.getArgs());
        } catch (CoreException e) {
          records.forEach(r -> blobs.releaseArgument(r.args));
          throw e;
        }
        records.add(new InputRecord(call.id + "-" + in.getIndex(), call, in.getIndex(), in.getArgs()));
      }
      received += records.size();
      call.activity().submitted(records.size());
      call.pool.submit(records);
    }

    public void end(long total) {
      requireTotal(call.id, total, received);
      call.activity().total(total, call.pool.host.nowMillis());
      call.end(total);
    }

    /** Refuses a map whose end names another count than the inputs that came: some were lost on the way. */
    static void requireTotal(String mapId, long total, long received) {
      if (total != received) {
        throw new CoreException(CoreException.Kind.INVALID_ARGUMENT,
            "map " + mapId + " ended with total " + total + " but sent " + received + " inputs");
      }
    }

    public void cancel(String why) {
      call.cancel(why);
    }
  }
}
