package dev.shoal.internal.client;

import dev.shoal.Backend;
import dev.shoal.RunOptions;
import dev.shoal.internal.client.PublicApi.Failure;
import dev.shoal.internal.client.volume.VolumeClient;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.RegisterFunctionsRequest;
import dev.shoal.protocol.v1.RegisterFunctionsResponse;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import dev.shoal.protocol.v1.StopAppRequest;
import dev.shoal.protocol.v1.VolumeMount;
import io.grpc.StatusRuntimeException;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One app's side of the engine: starting its runs and deployments, stopping them, and finding where each of its
 * functions' calls go. {@code App} defines the functions; this class binds them to a run.
 */
public final class AppClient {
  private final RegisteredApp app;
  private final Supplier<List<FunctionSpec>> declaredPools;
  private final Function<String, Optional<FunctionSpec>> poolOf;
  /** The run this process started for the app, or null. */
  private volatile RunBinding binding;

  /**
   * @param app the app's name, class and functions
   * @param declaredPools the pools of the app's classes that every run starts with
   * @param poolOf the pool that serves a class method's name, for a run that does not have it yet
   */
  public AppClient(RegisteredApp app, Supplier<List<FunctionSpec>> declaredPools,
      Function<String, Optional<FunctionSpec>> poolOf) {
    this.app = app;
    this.declaredPools = declaredPools;
    this.poolOf = poolOf;
  }

  /**
   * A run as {@code AppRun} holds it; {@code heartbeat} and {@code output} may be null. {@code closed} is what
   * closing the run does besides stopping it: it ends the run's use of the dashboard and its watch on the JVM's exit.
   */
  public record Run(String appId, boolean owner, AppHeartbeat heartbeat, LogPrinter output, Runnable closed) {}

  /** A deployed version of the app. */
  public record Deployed(int version, String appId) {}

  /**
   * Starts an ephemeral run on the engine this process talks to; inside a container, joins the run the container
   * belongs to instead.
   */
  public synchronized Run run(RunOptions options, boolean showOutput) {
    if (Engines.inContainer() || CurrentInput.get() != null) {
      RunBinding current = containerRun().orElse(null);
      if (current == null) {
        throw new IllegalStateException(
            "app '" + app.name() + "' is not part of the run this container belongs to");
      }
      return new Run(current.appId(), false, null, null, () -> {});
    }
    RunBinding current = binding;
    if (current != null) {
      throw new IllegalStateException(
          "app '" + app.name() + "' is already running in this JVM (run " + current.appId() + ")");
    }
    EngineConnection connection = Engines.current();
    Runnable dashboardDone = options.dashboard() && !connection.isServer()
        ? Engines.openEmbeddedDashboard(options.keepDashboard())
        : () -> {};
    StartAppResponse response;
    try {
      response = start(connection, startRequest(connection, options).setDetach(options.detach()));
    } catch (RuntimeException e) {
      dashboardDone.run();
      throw e;
    }
    String appId = response.getAppId();
    binding = new RunBinding(connection, appId, response.getFunctionIdsMap());
    AppHeartbeat heartbeat = options.detach() ? null : new AppHeartbeat(connection, appId);
    LogPrinter output = showOutput ? LogPrinter.follow(connection, appId) : null;
    // A detached run is meant to outlive this JVM; an ephemeral one is stopped when the JVM exits under it.
    Runnable unwatch = options.detach() ? () -> {} : RunExit.watch(app.name(), appId, () -> stop(appId));
    return new Run(appId, true, heartbeat, output, () -> {
      unwatch.run();
      dashboardDone.run();
    });
  }

  /** Deploys the app on the engine this process talks to. */
  public Deployed deploy() {
    EngineConnection connection = Engines.current();
    StartAppResponse response = start(connection, startRequest(connection, RunOptions.defaults()).setDeploy(true));
    return new Deployed(response.getVersion(), response.getAppId());
  }

  private StartAppRequest.Builder startRequest(EngineConnection connection, RunOptions options) {
    // Thread containers load the app from this JVM, whatever its classpath says.
    List<String> classpath = !connection.isServer() && options.backend() == Backend.THREADS
        ? List.of(System.getProperty("java.class.path", "").split(File.pathSeparator))
        : ContainerClasspath.of(app.appClass());
    if (connection.isServer()) {
      // A server may run containers on other machines: they get the classpath's content, not its paths.
      try {
        classpath = ArtifactUploader.upload(connection, classpath);
      } catch (StatusRuntimeException e) {
        throw EngineErrors.translate(e, "upload the classpath of app '" + app.name() + "'");
      }
    }
    StartAppRequest.Builder request = StartAppRequest.newBuilder()
        .setAppName(app.name())
        .setAppClass(app.appClass().getName())
        .setEnvironment(connection.environment())
        .addAllClasspath(classpath);
    if (!connection.isServer()) {
      request.setBackend(options.backend().name().toLowerCase(Locale.ROOT));
    }
    app.functions().values().forEach(f -> request.addFunctions(f.definition()));
    declaredPools.get().forEach(pool -> request.addFunctions(pool.definition()));
    return request;
  }

  private StartAppResponse start(EngineConnection connection, StartAppRequest.Builder request) {
    // Volumes are found (or created) before any container tries to mount them, so that a missing one fails the
    // start here, with its name, rather than every container's start.
    request.getFunctionsList().stream()
        .flatMap(f -> f.getVolumesList().stream())
        .collect(Collectors.toMap(VolumeMount::getName, m -> m,
            (a, b) -> a.getCreateIfMissing() ? a : b, LinkedHashMap::new))
        .values()
        .forEach(m -> VolumeClient.ensure(connection, m.getName(), m.getCreateIfMissing()));
    try {
      return connection.blocking().startApp(request.build());
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "start app '" + app.name() + "' on " + connection.description());
    }
  }

  /** Forgets the run {@code appId}, which goes on without this process (a detached run). */
  public synchronized void unbind(String appId) {
    if (binding != null && binding.appId().equals(appId)) {
      binding = null;
    }
  }

  /** Stops the run {@code appId}, if it is the one the app is bound to. */
  public synchronized void stop(String appId) {
    RunBinding current = binding;
    if (current == null || !current.appId().equals(appId)) {
      return;
    }
    binding = null;
    try {
      current.connection().blocking().stopApp(StopAppRequest.newBuilder().setAppId(appId).build());
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "stop app '" + app.name() + "'");
    }
  }

  /** The run of the container whose code the calling thread runs, if that container serves this app. */
  private Optional<RunBinding> containerRun() {
    return ContainerScope.current().flatMap(scope -> scope.runOf(app));
  }

  /** The connection and function id a call of {@code function} goes through. */
  public FunctionTarget target(String function) {
    CurrentInput.stopIfCancelled();
    // Inside a container of this app, calls go to the container's run, through its own connection; elsewhere
    // (the caller of a thread container included) to the run this process started.
    RunBinding current = containerRun().orElse(binding);
    if (current == null) {
      throw new IllegalStateException("app '" + app.name() + "' is not running: call " + function
          + " inside try (AppRun run = app.run()) { … }");
    }
    String id = current.functionId(function);
    if (id == null) {
      id = registerOnDemand(current, function);
    }
    if (id == null) {
      throw PublicApi.failure(Failure.NOT_FOUND, "function '" + function + "' was defined after app '"
          + app.name() + "' started running; define every function before app.run()");
    }
    return new FunctionTarget(current.connection(), id);
  }

  /**
   * Adds the pool that serves {@code function} to the running app, when it is a method of a Cls parameter set
   * that the run does not have yet; returns the function's id, or null if it is no such method.
   */
  private synchronized String registerOnDemand(RunBinding run, String function) {
    String known = run.functionId(function);
    if (known != null) {
      return known;
    }
    Optional<FunctionSpec> pool = poolOf.apply(function);
    if (pool.isEmpty()) {
      return null;
    }
    FunctionDefinition definition = pool.get().definition();
    RegisterFunctionsResponse response;
    try {
      response = run.connection().blocking().registerFunctions(RegisterFunctionsRequest.newBuilder()
          .setAppId(run.appId())
          .addFunctions(definition)
          .build());
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "add the pool of " + definition.getName() + " to app '" + app.name() + "'");
    }
    run.addFunctionIds(response.getFunctionIdsMap());
    return response.getFunctionIdsMap().get(function);
  }
}
