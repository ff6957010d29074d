package dev.shoal.internal.controlplane;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.blob.BlobStore;
import dev.shoal.internal.controlplane.secret.SecretBox;
import dev.shoal.internal.controlplane.secret.SecretShelf;
import dev.shoal.internal.controlplane.secret.Secrets;
import dev.shoal.internal.store.AppState;
import dev.shoal.internal.store.CallAttempt;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredApp;
import dev.shoal.protocol.v1.AppSummary;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.CallState;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.GetMapResultsResponse;
import dev.shoal.protocol.v1.LookupFunctionResponse;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

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
  private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final long STOP_APP_GRACE_MILLIS = 3_000;
  private static final long STOP_APP_WAIT_MILLIS = 15_000;
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
  private final Map<String, AppRecord> apps = new ConcurrentHashMap<>();
  private final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();
  private final Calls calls;
  private volatile Secrets secrets;
  private final ContainerDirectory containers = new ContainerDirectory();
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
    this.writer = new DurableWriter(store);
    this.retention = retention;
    this.artifacts = artifacts;
    this.defaultBackend = defaultBackend;
    this.lastExpiryMillis = clock.millis();
    this.activity = new Activity(clock, apps, logs);
    this.calls = new Calls(clock, scheduler, store, writer, retention, this.blobs, this::pool,
        appId -> Optional.ofNullable(apps.get(appId)).map(a -> a.appClass));
    this.scheduler = scheduler;
    // Sealed under a key of this JVM's until the engine says where its key is kept (useSecrets).
    this.secrets = new Secrets(SecretShelf.of(store), SecretBox.ephemeral(), clock);
    scheduler.scheduleEvery(TICK_MILLIS, this::tick);
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

  // ---------------------------------------------------------------------------------------------------------
  // Apps.

  public StartAppResponse startApp(StartAppRequest request) {
    String environment = environment(request.getEnvironment());
    // A missing secret fails the start, before any container could fail for want of it.
    for (FunctionDefinition f : request.getFunctionsList()) {
      secrets.requireAll(f.getSecretsList(), f.getName());
    }
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
      calls.recover(app, store.unfinishedCalls(app.id));
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
    calls.cancelMapsOf(app, why);
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
        .setDefinition(app.pools.get(functionName).definition)
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

  /** The pool's id in a function id; see {@link FunctionIds#poolIdOf}. */
  static String poolIdOf(String functionId) {
    return FunctionIds.poolIdOf(functionId);
  }

  /** The method a function id calls in a Cls pool; see {@link FunctionIds#methodOf}. */
  static String methodOf(String functionId) {
    return FunctionIds.methodOf(functionId);
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
    for (FunctionDefinition f : definitions) {
      secrets.requireAll(f.getSecretsList(), f.getName());
    }
    List<FunctionPool> added = new ArrayList<>();
    synchronized (app) {
      for (FunctionDefinition f : definitions) {
        if (!f.getVariantOf().isEmpty()) {
          checkVariant(app, f);
        }
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

  /**
   * A variant must name a plain function of its app, under a name of its own that starts with that function's
   * ({@code name~tag}), so that its pool can never be taken for another function's and its containers find the
   * body they serve.
   */
  private static void checkVariant(AppRecord app, FunctionDefinition variant) {
    FunctionPool base = app.pools.get(variant.getVariantOf());
    if (base == null || !base.definition.getCls().isEmpty() || !base.definition.getVariantOf().isEmpty()) {
      throw CoreException.invalid("function " + BoundedQuote.of(variant.getName()) + " is a variant of "
          + BoundedQuote.of(variant.getVariantOf()) + ", which is not a function of app " + app.name);
    }
    if (!variant.getName().startsWith(variant.getVariantOf() + "~") || !variant.getCls().isEmpty()) {
      throw CoreException.invalid("a variant of " + BoundedQuote.of(variant.getVariantOf())
          + " must be named '" + variant.getVariantOf() + "~TAG' and serve no class, was "
          + BoundedQuote.of(variant.getName()));
    }
    if ((variant.getBatchMaxSize() > 0) != (base.definition.getBatchMaxSize() > 0)) {
      throw CoreException.invalid("variant " + BoundedQuote.of(variant.getName()) + " must be batched exactly when "
          + BoundedQuote.of(variant.getVariantOf()) + " is: its body takes "
          + (base.definition.getBatchMaxSize() > 0 ? "a list of inputs" : "one input"));
    }
  }

  /**
   * Changes the scaling settings of the pool that serves {@code functionId}, at once and until its app stops (a
   * deployment's next version starts from its own definition). The change is stored with the app, so that a
   * restart keeps it. Returns the definition now in force.
   */
  public FunctionDefinition updateAutoscaler(String functionId, AutoscalerUpdate update) {
    FunctionPool pool = pool(functionId);
    FunctionDefinition.Builder updated = pool.definition.toBuilder();
    if (update.minContainers() != null) {
      updated.setMinContainers(update.minContainers());
    }
    if (update.maxContainers() != null) {
      updated.setMaxContainers(update.maxContainers());
    }
    if (update.bufferContainers() != null) {
      updated.setBufferContainers(update.bufferContainers());
    }
    if (update.scaledownWindowMillis() != null) {
      updated.setScaledownWindowMs(update.scaledownWindowMillis());
    }
    FunctionDefinition definition = RequestFields.function("definition", updated.build());
    if (definition.getMaxContainers() != 0 && definition.getMaxContainers() < definition.getMinContainers()) {
      throw CoreException.invalid("max_containers (" + definition.getMaxContainers()
          + ") must be 0 (no cap) or at least min_containers (" + definition.getMinContainers() + ") of function "
          + pool.name());
    }
    if (definition.getScaledownWindowMs() == 0) {
      throw CoreException.invalid("scaledown_window_ms must be more than 0 for function " + pool.name());
    }
    AppRecord app = pool.app;
    synchronized (app) {
      pool.updateAutoscaler(definition);
      storeFunction(app, definition);
    }
    return definition;
  }

  /** Replaces one function's definition in the stored app, so that a restart brings it back as it is now. */
  private void storeFunction(AppRecord app, FunctionDefinition definition) {
    rewriteStoredSpec(app, spec -> {
      for (int i = 0; i < spec.getFunctionsCount(); i++) {
        if (spec.getFunctions(i).getName().equals(definition.getName())) {
          spec.setFunctions(i, definition);
        }
      }
    });
  }

  /** Adds new pools to the stored app, so that a restart brings them back with the same ids. */
  private void storeAddedFunctions(AppRecord app, List<FunctionPool> added) {
    rewriteStoredSpec(app, spec -> added.forEach(p -> spec.addFunctions(p.definition)));
  }

  private void rewriteStoredSpec(AppRecord app, Consumer<StartAppRequest.Builder> change) {
    store.app(app.id).ifPresent(stored -> {
      StartAppRequest.Builder spec;
      try {
        spec = StartAppRequest.parseFrom(stored.spec()).toBuilder();
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("app " + app.id + " in the store cannot be read", e);
      }
      change.accept(spec);
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
      throw CoreException.invalid("name the app whose logs to stream, or the call whose logs to read");
    }
    return logs.find(app, environment(environment));
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

  @Override
  public List<dev.shoal.protocol.v1.VolumeMount> mountsOfApp(String appId) {
    AppRecord app = apps.get(appId);
    if (app == null) {
      return List.of();
    }
    return app.pools.values().stream().flatMap(p -> p.definition.getVolumesList().stream()).toList();
  }

  @Override
  public List<String> secretsOfApp(String appId) {
    AppRecord app = apps.get(appId);
    if (app == null) {
      return List.of();
    }
    return app.pools.values().stream().flatMap(p -> p.definition.getSecretsList().stream()).distinct().toList();
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
      calls.forget(call);
    }
  }
}
