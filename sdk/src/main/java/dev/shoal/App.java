package dev.shoal;

import dev.shoal.internal.client.AppRegistry;
import dev.shoal.internal.client.ArtifactUploader;
import dev.shoal.internal.client.ContainerClasspath;
import dev.shoal.internal.client.CurrentInput;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.Engines;
import dev.shoal.internal.client.LogPrinter;
import dev.shoal.internal.client.FunctionBody;
import dev.shoal.internal.client.RegisteredApp;
import dev.shoal.internal.client.RegisteredFunction;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.PayloadSettings;
import dev.shoal.protocol.v1.RegisterFunctionsRequest;
import dev.shoal.protocol.v1.RegisterFunctionsResponse;
import dev.shoal.protocol.v1.RetryPolicy;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import dev.shoal.protocol.v1.StopAppRequest;
import dev.shoal.protocol.v1.VolumeMount;
import io.grpc.StatusRuntimeException;
import java.io.File;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named group of functions that run together. Define an app in a static field, and its functions in static
 * fields of the same class: a container loads that class by name, which defines the app again in the container
 * and lets it find the function it serves. Static initialisers of an app class must therefore be cheap and free
 * of side effects.
 */
public final class App {
  private static final Pattern APP_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private final String name;
  private final Class<?> appClass;
  private final ClassPolicy classPolicy;
  /** Read when the app is defined, as its functions' definitions are, rather than on every call. */
  private final PayloadLimits payloadLimits;
  private final Map<String, RegisteredFunction> functions = Collections.synchronizedMap(new LinkedHashMap<>());
  /** The app's classes ({@link #cls}) and their pools. */
  final AppClasses classes = new AppClasses();
  private volatile Binding binding;

  private App(String name, Class<?> appClass) {
    this.name = name;
    this.appClass = appClass;
    this.classPolicy = ClassPolicy.forApp(appClass);
    this.payloadLimits = configuredPayloadLimits();
  }

  /** The payload limits this process is configured with; a setting out of range is refused naming it. */
  static PayloadLimits configuredPayloadLimits() {
    try {
      return PayloadLimits.configured();
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(e.getMessage(), e);
    }
  }

  /**
   * Defines an app. The class that calls this is the app class that containers load.
   *
   * @param name 1 to 63 characters of lower-case letters, digits and dashes, not starting or ending with a dash
   */
  public static App named(String name) {
    Checks.notNull("app name", name);
    if (!APP_NAME.matcher(name).matches()) {
      throw new InvalidOptionException(
          "app name must be 1..63 characters of [a-z0-9-], not starting or ending with '-', was '" + name + "'");
    }
    App app = new App(name, WALKER.getCallerClass());
    AppRegistry.register(app.new Registration());
    return app;
  }

  public String name() {
    return name;
  }

  public <I, O> RemoteFunction<I, O> function(String name, Fn<I, O> body) {
    return function(name, body, FunctionOptions.defaults());
  }

  @SuppressWarnings("unchecked")
  public <I, O> RemoteFunction<I, O> function(String name, Fn<I, O> body, FunctionOptions options) {
    Checks.notNull("function body", body);
    register(name, options, argument -> body.apply((I) argument));
    return new FunctionHandle<>(this, name);
  }

  public <A, B, O> RemoteFunction2<A, B, O> function(String name, Fn2<A, B, O> body) {
    return function(name, body, FunctionOptions.defaults());
  }

  @SuppressWarnings("unchecked")
  public <A, B, O> RemoteFunction2<A, B, O> function(String name, Fn2<A, B, O> body, FunctionOptions options) {
    Checks.notNull("function body", body);
    register(name, options, argument -> {
      Args2<A, B> args = (Args2<A, B>) argument;
      return body.apply(args.a(), args.b());
    });
    return new FunctionHandle2<>(this, name);
  }

  public <A, B, C, O> RemoteFunction3<A, B, C, O> function(String name, Fn3<A, B, C, O> body) {
    return function(name, body, FunctionOptions.defaults());
  }

  @SuppressWarnings("unchecked")
  public <A, B, C, O> RemoteFunction3<A, B, C, O> function(
      String name, Fn3<A, B, C, O> body, FunctionOptions options) {
    Checks.notNull("function body", body);
    register(name, options, argument -> {
      Args3<A, B, C> args = (Args3<A, B, C>) argument;
      return body.apply(args.a(), args.b(), args.c());
    });
    return new FunctionHandle3<>(this, name);
  }

  public <I, O> RemoteFunction<I, O> batched(String name, Fn<List<I>, List<O>> body, Batching batching) {
    return batched(name, body, batching, FunctionOptions.defaults());
  }

  /**
   * Defines a batched function: callers pass single inputs (through {@code remote}, {@code map} or
   * {@code spawn}), and a container runs {@code body} on batches of inputs from any callers, as
   * {@code batching} says. The body must return one result per input, in input order; a list of another length,
   * or an exception, fails every input of that batch, and retries then apply to each input by itself. Inside the
   * body, {@link Shoal#context()} describes the batch's first input.
   */
  @SuppressWarnings("unchecked")
  public <I, O> RemoteFunction<I, O> batched(
      String name, Fn<List<I>, List<O>> body, Batching batching, FunctionOptions options) {
    Checks.notNull("function body", body);
    Checks.notNull("batching", batching);
    synchronized (functions) {
      register(name, options, arguments -> body.apply((List<I>) arguments));
      // The batching settings travel in the definition, which is what makes containers gather batches.
      functions.computeIfPresent(name,
          (n, f) -> new RegisteredFunction(n, withBatching(f.definition(), batching), f.body()));
    }
    return new BatchedFunctionHandle<>(this, name);
  }

  /** Defines a class whose factory takes no parameters; see {@link Cls}. */
  public <T> Cls<T> cls(String name, ClsFactory<T> factory) {
    return cls(name, factory, FunctionOptions.defaults());
  }

  /** Defines a class whose factory takes no parameters; the options apply to the pool that serves it. */
  public <T> Cls<T> cls(String name, ClsFactory<T> factory, FunctionOptions options) {
    Checks.notNull("class factory", factory);
    return defineCls(name, params -> factory.create(), false, options);
  }

  /** Defines a class whose factory takes the parameters given by {@link Cls#with}; see {@link Cls}. */
  public <T> Cls<T> cls(String name, Fn<ClsParams, T> factory) {
    return cls(name, factory, FunctionOptions.defaults());
  }

  /** Defines a parameterised class; the options apply to the pool of each parameter set. */
  public <T> Cls<T> cls(String name, Fn<ClsParams, T> factory, FunctionOptions options) {
    Checks.notNull("class factory", factory);
    return defineCls(name, factory, true, options);
  }

  private <T> Cls<T> defineCls(String cls, Fn<ClsParams, T> factory, boolean parameterised, FunctionOptions options) {
    Checks.notNull("class name", cls);
    ClsDefinition<T> definition = new ClsDefinition<>(this, cls, factory, parameterised, options);
    synchronized (functions) {
      classes.define(definition, functions.keySet());
    }
    return new Cls<>(definition, ClsParams.empty());
  }

  /** Starts an ephemeral run on the embedded engine, or on the server the configuration names. */
  public AppRun run() {
    return run(RunOptions.defaults());
  }

  public synchronized AppRun run(RunOptions options) {
    Checks.notNull("run options", options);
    Binding current = binding;
    if (Engines.inContainer() || CurrentInput.get() != null) {
      if (current == null) {
        throw new IllegalStateException("app '" + name + "' is not part of the run this container belongs to");
      }
      return new AppRun(this, current.appId(), false);
    }
    if (current != null) {
      throw new IllegalStateException("app '" + name + "' is already running in this JVM (run " + current.appId() + ")");
    }
    EngineConnection connection = Engines.current();
    if (options.dashboard() && !connection.isServer()) {
      Engines.serveEmbeddedDashboard();
    }
    StartAppResponse response = start(connection, startRequest(connection, options).setDetach(options.detach()));
    binding = new Binding(connection, response.getAppId(), Map.copyOf(response.getFunctionIdsMap()));
    Heartbeat heartbeat = options.detach() ? null : new Heartbeat(connection, response.getAppId());
    LogPrinter output = options.output() || Output.isEnabled()
        ? LogPrinter.follow(connection, response.getAppId())
        : null;
    return new AppRun(this, response.getAppId(), true, heartbeat, output);
  }

  /**
   * Deploys the app: a named, versioned app on the engine that any process reaches through
   * {@link RemoteFunction#fromName}, and that keeps running after this process ends. Deploying again makes a
   * new version; lookups find the newest.
   */
  public Deployment deploy() {
    EngineConnection connection = Engines.current();
    StartAppResponse response = start(connection, startRequest(connection, RunOptions.defaults()).setDeploy(true));
    return new Deployment(name, response.getVersion(), response.getAppId());
  }

  private StartAppRequest.Builder startRequest(EngineConnection connection, RunOptions options) {
    // Thread containers load the app from this JVM, whatever its classpath says.
    List<String> classpath = !connection.isServer() && options.backend() == Backend.THREADS
        ? List.of(System.getProperty("java.class.path", "").split(File.pathSeparator))
        : ContainerClasspath.of(appClass);
    if (connection.isServer()) {
      // A server may run containers on other machines: they get the classpath's content, not its paths.
      try {
        classpath = ArtifactUploader.upload(connection, classpath);
      } catch (StatusRuntimeException e) {
        throw Rpc.translate(e, "upload the classpath of app '" + name + "'");
      }
    }
    StartAppRequest.Builder request = StartAppRequest.newBuilder()
        .setAppName(name)
        .setAppClass(appClass.getName())
        .setEnvironment(connection.environment())
        .addAllClasspath(classpath);
    if (!connection.isServer()) {
      request.setBackend(options.backend().name().toLowerCase(java.util.Locale.ROOT));
    }
    synchronized (functions) {
      functions.values().forEach(f -> request.addFunctions(f.definition()));
    }
    classes.declaredDefinitions().forEach(request::addFunctions);
    return request;
  }

  private StartAppResponse start(EngineConnection connection, StartAppRequest.Builder request) {
    // Volumes are found (or created) before any container tries to mount them, so that a missing one fails the
    // start here, with its name, rather than every container's start.
    request.getFunctionsList().stream()
        .flatMap(f -> f.getVolumesList().stream())
        .collect(java.util.stream.Collectors.toMap(VolumeMount::getName, m -> m,
            (a, b) -> a.getCreateIfMissing() ? a : b, LinkedHashMap::new))
        .values()
        .forEach(m -> Volume.ensure(connection, m));
    try {
      return connection.blocking().startApp(request.build());
    } catch (StatusRuntimeException e) {
      throw Rpc.translate(e, "start app '" + name + "' on " + connection.description());
    }
  }

  synchronized void unbind(String appId) {
    if (binding != null && binding.appId().equals(appId)) {
      binding = null;
    }
  }

  synchronized void stop(String appId) {
    Binding current = binding;
    if (current == null || !current.appId().equals(appId)) {
      return;
    }
    binding = null;
    try {
      current.connection().blocking().stopApp(StopAppRequest.newBuilder().setAppId(appId).build());
    } catch (StatusRuntimeException e) {
      throw Rpc.translate(e, "stop app '" + name + "'");
    }
  }

  /** The connection and function id a call of {@code function} goes through. */
  Target target(String function) {
    Binding current = binding;
    if (current == null) {
      throw new IllegalStateException(
          "app '" + name + "' is not running: call " + function + " inside try (AppRun run = app.run()) { … }");
    }
    String id = current.functionIds().get(function);
    if (id == null) {
      id = registerOnDemand(current, function);
    }
    if (id == null) {
      throw new NotFoundException("function '" + function + "' was defined after app '" + name
          + "' started running; define every function before app.run()");
    }
    return new Target(current.connection(), id);
  }

  /**
   * Adds the pool that serves {@code function} to the running app, when it is a method of a Cls parameter set
   * that the run does not have yet; returns the function's id, or null if it is no such method.
   */
  private synchronized String registerOnDemand(Binding current, String function) {
    Binding now = binding;
    if (now != null && now.functionIds().containsKey(function)) {
      return now.functionIds().get(function);
    }
    Optional<FunctionDefinition> pool = classes.poolOf(function);
    if (pool.isEmpty()) {
      return null;
    }
    RegisterFunctionsResponse response;
    try {
      response = current.connection().blocking().registerFunctions(RegisterFunctionsRequest.newBuilder()
          .setAppId(current.appId())
          .addFunctions(pool.get())
          .build());
    } catch (StatusRuntimeException e) {
      throw Rpc.translate(e, "add the pool of " + pool.get().getName() + " to app '" + name + "'");
    }
    if (now != null && now.appId().equals(current.appId())) {
      Map<String, String> ids = new HashMap<>(now.functionIds());
      ids.putAll(response.getFunctionIdsMap());
      binding = new Binding(now.connection(), now.appId(), Map.copyOf(ids));
    }
    return response.getFunctionIdsMap().get(function);
  }

  FunctionBody body(String function) {
    return functions.get(function).body();
  }

  ClassPolicy classPolicy() {
    return classPolicy;
  }

  PayloadLimits payloadLimits() {
    return payloadLimits;
  }

  private void register(String function, FunctionOptions options, FunctionBody body) {
    Checks.notNull("function name", function);
    Checks.notNull("function options", options);
    if (!FUNCTION_NAME.matcher(function).matches()) {
      throw new InvalidOptionException(
          "function name must be 1..64 characters of [A-Za-z0-9_.-] starting with a letter, was '" + function + "'");
    }
    synchronized (functions) {
      if (functions.containsKey(function)) {
        throw new InvalidOptionException("app '" + name + "' already has a function named '" + function + "'");
      }
      if (classes.clashesWith(function)) {
        throw new InvalidOptionException("function name '" + function + "' clashes with a class of app '" + name + "'");
      }
      functions.put(function, new RegisteredFunction(function, definition(function, options), body));
    }
  }

  static FunctionDefinition definition(String name, FunctionOptions o) {
    Retries r = o.retries();
    return FunctionDefinition.newBuilder()
        .setName(name)
        .setTimeoutMs(o.timeout().toMillis())
        .setStartupTimeoutMs(o.startupTimeout().toMillis())
        .setRetryPolicy(RetryPolicy.newBuilder()
            .setMaxRetries(r.maxRetries())
            .setBackoffCoefficient(r.backoffCoefficient())
            .setInitialDelayMs(r.initialDelay().toMillis())
            .setMaxDelayMs(r.maxDelay().toMillis()))
        .setMinContainers(o.minContainers())
        .setMaxContainers(o.maxContainers().orElse(0))
        .setBufferContainers(o.bufferContainers())
        .setScaledownWindowMs(o.scaledownWindow().toMillis())
        .setMaxConcurrentInputs(o.concurrency())
        .setCpu(o.cpu())
        .setMemoryMb(o.memoryMb())
        .setGpu(o.gpu().orElse(""))
        .putAllEnv(o.env())
        .addAllVolumes(o.volumes().stream().map(Volume::toMount).toList())
        .setPayloads(payloadSettings())
        .build();
  }

  /**
   * What the function's containers need to treat payloads as this caller does: the classes it allows beyond the
   * app's own, and its payload limits.
   */
  private static PayloadSettings payloadSettings() {
    PayloadLimits limits = configuredPayloadLimits();
    return PayloadSettings.newBuilder()
        .addAllCodecAllow(ClassPolicy.configuredAllowList())
        .setMaxBytes(limits.maxBytes())
        .setInlineBytes(limits.inlineBytes())
        .build();
  }

  /** A definition with batching settings, which make containers gather inputs into batches. */
  static FunctionDefinition withBatching(FunctionDefinition definition, Batching batching) {
    return definition.toBuilder()
        .setBatchMaxSize(batching.maxBatchSize())
        .setBatchWaitMs(batching.waitTime().toMillis())
        .build();
  }

  /** Where a bound app's calls go. */
  record Target(EngineConnection connection, String functionId) {}

  private record Binding(EngineConnection connection, String appId, Map<String, String> functionIds) {}

  /** This app as the container runtime sees it. */
  private final class Registration implements RegisteredApp {
    @Override
    public String name() {
      return name;
    }

    @Override
    public Class<?> appClass() {
      return appClass;
    }

    @Override
    public Map<String, RegisteredFunction> functions() {
      synchronized (functions) {
        return Map.copyOf(functions);
      }
    }

    @Override
    public Map<String, dev.shoal.internal.client.RegisteredCls> classes() {
      return App.this.classes.registered();
    }

    @Override
    public void joinRun(EngineConnection connection, String appId, Map<String, String> functionIds) {
      binding = new Binding(connection, appId, Map.copyOf(functionIds));
    }

    @Override
    public int deploy() {
      return App.this.deploy().version();
    }
  }
}
