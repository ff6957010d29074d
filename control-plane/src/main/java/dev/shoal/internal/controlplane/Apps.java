package dev.shoal.internal.controlplane;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.shoal.internal.controlplane.secret.Secrets;
import dev.shoal.internal.controlplane.Ownership.FunctionOwner;
import dev.shoal.internal.store.AppState;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredApp;
import dev.shoal.protocol.v1.AppSummary;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.LookupFunctionResponse;
import dev.shoal.protocol.v1.RollbackAppResponse;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import dev.shoal.protocol.v1.VolumeMount;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The apps of a control plane and their function pools: starting runs and deployments, restoring them after a
 * restart, stopping them, finding a function by id or by name, and adding pools (a Cls parameter set, a variant) or
 * new scaling settings to a running app. What an app's calls do is {@link Calls}'s; this class knows the calls only
 * through what {@link ControlPlane} hands it when an app is restored or stopped.
 */
final class Apps {
  private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final long STOP_APP_GRACE_MILLIS = 3_000;
  private static final long STOP_APP_WAIT_MILLIS = 15_000;

  private final Clock clock;
  private final StateStore store;
  private final Scheduler scheduler;
  private final ArtifactStore artifacts;
  private final Map<String, BackendSlot> backends;
  private final String defaultBackend;
  private final PoolHost host;
  private final AppLogs logs;
  /** Told of every app that stopped, once its containers are gone. */
  private final Consumer<AppRecord> stopped;
  private final Supplier<Secrets> secrets;
  /** The apps in memory (running, detached and deployed), by id; a stopped app leaves. */
  final Map<String, AppRecord> apps = new ConcurrentHashMap<>();
  /** Every pool of those apps, by pool id. */
  final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();

  /**
   * @param backends the control plane's backends by name, to which it adds after construction
   * @param secrets the engine's named secrets, which the engine may replace after construction
   */
  Apps(Clock clock, StateStore store, Scheduler scheduler, ArtifactStore artifacts, Map<String, BackendSlot> backends,
      String defaultBackend, PoolHost host, AppLogs logs, Supplier<Secrets> secrets, Consumer<AppRecord> stopped) {
    this.clock = clock;
    this.store = store;
    this.scheduler = scheduler;
    this.artifacts = artifacts;
    this.backends = backends;
    this.defaultBackend = defaultBackend;
    this.host = host;
    this.logs = logs;
    this.secrets = secrets;
    this.stopped = stopped;
  }

  StartAppResponse startApp(StartAppRequest request) {
    String environment = environment(request.getEnvironment());
    // A missing secret fails the start, before any container could fail for want of it.
    for (FunctionDefinition f : request.getFunctionsList()) {
      secrets.get().requireAll(f.getSecretsList(), f.getName());
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
    if (request.getDeploy()) {
      supersede(app);
    }
    return StartAppResponse.newBuilder()
        .setAppId(app.id)
        .putAllFunctionIds(app.functionIds())
        .setVersion(version)
        .build();
  }

  /**
   * Lets the older deployed versions of a newly deployed app drain: callers find the new version from now on, and
   * an older one finishes the calls already made on it (a spawned call is never lost to a deploy) with no warm or
   * spare containers, so that its pools shrink to nothing once idle. It stays until it is stopped, or made current
   * again by a rollback. The store keeps its definition as it was in force, for a rollback to deploy again; a
   * restart drains it anew ({@link #recover}).
   */
  private void supersede(AppRecord current) {
    for (AppRecord older : apps.values()) {
      if (older != current && older.state == AppState.DEPLOYED && older.name.equals(current.name)
          && older.environment.equals(current.environment)) {
        drain(older);
      }
    }
  }

  /** Takes away an app's warm and spare containers, in memory only: see {@link #supersede}. */
  private static void drain(AppRecord app) {
    synchronized (app) {
      for (FunctionPool pool : app.pools.values()) {
        FunctionDefinition drained = pool.definition.toBuilder().setMinContainers(0).setBufferContainers(0).build();
        if (!drained.equals(pool.definition)) {
          pool.updateAutoscaler(drained);
        }
      }
    }
  }

  /**
   * Makes an older version of a deployed app current again: deploys its stored definition (its functions, classes
   * and variants, their settings, its classpath) as a new version, which older ones then drain to. With
   * {@code version} 0, the version before the current one.
   */
  RollbackAppResponse rollback(String environment, String appName, int version) {
    String env = environment(environment);
    List<StoredApp> versions = store.apps(env).stream()
        .filter(a -> a.name().equals(appName) && a.version() > 0)
        .sorted(Comparator.comparingInt(StoredApp::version).reversed())
        .toList();
    StoredApp current = store.deployed(env, appName).orElseThrow(() -> CoreException.notFound(
        "no deployed app " + BoundedQuote.of(appName) + " in environment " + env + " to roll back"));
    StoredApp target;
    if (version == 0) {
      target = versions.stream().filter(a -> a.version() < current.version()).findFirst()
          .orElseThrow(() -> CoreException.failedPrecondition("app " + BoundedQuote.of(appName)
              + " has no version before its current one, " + current.version()));
    } else {
      target = versions.stream().filter(a -> a.version() == version).findFirst()
          .orElseThrow(() -> CoreException.notFound("app " + BoundedQuote.of(appName) + " has no version " + version
              + "; it has " + versions.stream().map(StoredApp::version).sorted().toList()));
    }
    if (target.version() == current.version()) {
      throw CoreException.failedPrecondition("version " + version + " of app " + BoundedQuote.of(appName)
          + " is already the current one");
    }
    StartAppRequest spec;
    try {
      spec = StartAppRequest.parseFrom(target.spec());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("app " + target.appId() + " in the store cannot be read", e);
    }
    StartAppResponse started = startApp(spec.toBuilder().setDeploy(true).setDetach(false).build());
    return RollbackAppResponse.newBuilder()
        .setAppId(started.getAppId())
        .setVersion(started.getVersion())
        .setFromVersion(target.version())
        .build();
  }

  static String environment(String requested) {
    String environment = requested.isEmpty() ? ControlPlane.DEFAULT_ENVIRONMENT : requested;
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
  void recover(Consumer<AppRecord> restored) {
    List<StoredApp> active = store.activeApps();
    Map<String, Integer> newestDeployed = new HashMap<>();
    for (StoredApp a : active) {
      if (a.state() == AppState.DEPLOYED) {
        newestDeployed.merge(a.environment() + "/" + a.name(), a.version(), Math::max);
      }
    }
    for (StoredApp stored : active) {
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
      if (stored.state() == AppState.DEPLOYED
          && stored.version() < newestDeployed.get(stored.environment() + "/" + stored.name())) {
        drain(app); // superseded before the restart, and drained again before its pools first tick
      }
      activate(app);
      restored.accept(app);
    }
  }

  /** Stops a run: cancels its unfinished calls, stops its containers and waits until they are gone. */
  void stopApp(String appId, BiConsumer<AppRecord, String> cancelMaps) {
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
    cancelMaps.accept(app, why);
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
    stopped.accept(app);
  }

  void heartbeat(String appId) {
    AppRecord app = apps.get(appId);
    if (app == null) {
      throw new CoreException(CoreException.Kind.NOT_FOUND,
          "no running app " + BoundedQuote.of(appId) + "; it may have been stopped");
    }
    if (app.lastHeartbeatMillis != Long.MAX_VALUE) {
      app.lastHeartbeatMillis = clock.millis();
    }
  }

  LookupFunctionResponse lookupFunction(String environment, String appName, String functionName) {
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

  List<AppSummary> listApps(String environment) {
    List<StoredApp> stored = store.apps(environment(environment));
    Map<String, Integer> newestDeployed = new HashMap<>();
    for (StoredApp a : stored) {
      if (a.state() == AppState.DEPLOYED) {
        newestDeployed.merge(a.name(), a.version(), Math::max);
      }
    }
    List<AppSummary> summaries = new ArrayList<>();
    for (StoredApp a : stored) {
      boolean current = switch (a.state()) {
        case DEPLOYED -> a.version() == newestDeployed.get(a.name());
        case RUNNING, DETACHED -> true;
        case STOPPED -> false;
      };
      summaries.add(AppSummary.newBuilder()
          .setCurrent(current)
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

  /**
   * Adds functions to a running app, such as the pool of a Cls parameter set first used after the run started,
   * and returns the ids of the functions asked for (with their methods). A function the app already has keeps
   * its pool and id, so that concurrent callers asking for the same parameter set share one pool.
   */
  Map<String, String> registerFunctions(String appId, List<FunctionDefinition> definitions) {
    AppRecord app = apps.get(appId);
    if (app == null) {
      throw new CoreException(CoreException.Kind.NOT_FOUND, "no running app " + BoundedQuote.of(appId));
    }
    for (FunctionDefinition f : definitions) {
      secrets.get().requireAll(f.getSecretsList(), f.getName());
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
  FunctionDefinition updateAutoscaler(String functionId, AutoscalerUpdate update) {
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

  FunctionPool pool(String functionId) {
    FunctionPool pool = pools.get(FunctionIds.poolIdOf(functionId));
    if (pool != null && !FunctionIds.methodOf(functionId).isEmpty()
        && !pool.definition.getMethodsList().contains(FunctionIds.methodOf(functionId))) {
      throw new CoreException(CoreException.Kind.NOT_FOUND,
          "class " + pool.name() + " has no method " + BoundedQuote.of(FunctionIds.methodOf(functionId)));
    }
    if (pool == null) {
      if (restoring(FunctionIds.poolIdOf(functionId))) {
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

  Optional<FunctionOwner> functionOwner(String functionId) {
    FunctionPool pool = pools.get(FunctionIds.poolIdOf(functionId));
    return pool == null ? Optional.empty()
        : Optional.of(new FunctionOwner(pool.app.id, pool.app.state == AppState.DEPLOYED));
  }

  List<VolumeMount> mountsOfApp(String appId) {
    AppRecord app = apps.get(appId);
    if (app == null) {
      return List.of();
    }
    return app.pools.values().stream().flatMap(p -> p.definition.getVolumesList().stream()).toList();
  }

  List<String> secretsOfApp(String appId) {
    AppRecord app = apps.get(appId);
    if (app == null) {
      return List.of();
    }
    return app.pools.values().stream().flatMap(p -> p.definition.getSecretsList().stream()).distinct().toList();
  }

  /** A running app's pool, by names: a stopped app has left {@link #apps}. */
  Optional<FunctionPool> poolNamed(String appName, String functionName) {
    return apps.values().stream()
        .filter(a -> a.name.equals(appName) && a.pools.containsKey(functionName))
        .map(a -> a.pools.get(functionName))
        .findFirst();
  }

  /**
   * The active apps whose functions mount the volume {@code name}, as {@code "name (id)"}: a volume they mount must
   * not be deleted under them.
   */
  List<String> appsMountingVolume(String name) {
    return apps.values().stream()
        .filter(a -> !a.stopped)
        .filter(a -> a.pools.values().stream()
            .anyMatch(p -> p.definition.getVolumesList().stream().anyMatch(v -> v.getName().equals(name))))
        .map(a -> a.name + " (" + a.id + ")")
        .sorted()
        .toList();
  }
}
