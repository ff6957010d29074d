package dev.shoal;

import dev.shoal.internal.client.AppClient;
import dev.shoal.internal.client.AppRegistry;
import dev.shoal.internal.client.FunctionBody;
import dev.shoal.internal.client.FunctionSpec;
import dev.shoal.internal.client.FunctionTarget;
import dev.shoal.internal.client.FunctionVariants;
import dev.shoal.internal.client.RegisteredApp;
import dev.shoal.internal.client.RegisteredCls;
import dev.shoal.internal.client.RegisteredFunction;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.PayloadLimits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
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
  /** Variants of the app's functions ({@link RemoteFunction#withOptions}) by name, with their functions' bodies. */
  private final Map<String, RegisteredFunction> variants = Collections.synchronizedMap(new LinkedHashMap<>());
  /** The app's side of the engine: its runs, deployments and call targets. */
  private final AppClient client;

  private App(String name, Class<?> appClass) {
    this.name = name;
    this.appClass = appClass;
    this.classPolicy = ClassPolicy.forApp(appClass);
    this.payloadLimits = FunctionSpec.configuredPayloadLimits();
    this.client = new AppClient(new Registration(), this::declaredPools, this::poolOf);
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
    register(name, options, null, argument -> body.apply((I) argument));
    return new FunctionHandle<>(this, name);
  }

  public <A, B, O> RemoteFunction2<A, B, O> function(String name, Fn2<A, B, O> body) {
    return function(name, body, FunctionOptions.defaults());
  }

  @SuppressWarnings("unchecked")
  public <A, B, O> RemoteFunction2<A, B, O> function(String name, Fn2<A, B, O> body, FunctionOptions options) {
    Checks.notNull("function body", body);
    register(name, options, null, argument -> {
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
    register(name, options, null, argument -> {
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
    // The batching settings travel in the definition, which is what makes containers gather batches.
    register(name, options, batching, arguments -> body.apply((List<I>) arguments));
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

  public AppRun run(RunOptions options) {
    Checks.notNull("run options", options);
    AppClient.Run run = client.run(options, options.output() || Output.isEnabled());
    return new AppRun(this, run.appId(), run.owner(), run.heartbeat(), run.output(), run.closed());
  }

  /**
   * Deploys the app: a named, versioned app on the engine that any process reaches through
   * {@link RemoteFunction#fromName}, and that keeps running after this process ends. Deploying again makes a
   * new version; lookups find the newest.
   */
  public Deployment deploy() {
    AppClient.Deployed deployed = client.deploy();
    return new Deployment(name, deployed.version(), deployed.appId());
  }

  void unbind(String appId) {
    client.unbind(appId);
  }

  void stop(String appId) {
    client.stop(appId);
  }

  /** The connection and function id a call of {@code function} goes through. */
  FunctionTarget target(String function) {
    return client.target(function);
  }

  FunctionBody body(String function) {
    RegisteredFunction f = functions.get(function);
    return (f != null ? f : variants.get(function)).body();
  }

  /**
   * Makes a variant of one of this app's functions and returns its name; the run adds its pool when it starts or,
   * if it already runs, on the variant's first call.
   */
  String variant(String function, UnaryOperator<FunctionOptions.Builder> change, Batching batching) {
    RegisteredFunction base = functions.get(function);
    if (base == null) {
      throw new InvalidOptionException("app '" + name + "' has no function '" + function + "' to vary");
    }
    FunctionSpec spec = FunctionVariants.derive(base, change, batching);
    variants.putIfAbsent(spec.name(), spec.withBody(base.body()));
    return spec.name();
  }

  /** The pools a run starts with beyond its functions': its classes' declared pools and the variants made so far. */
  private List<FunctionSpec> declaredPools() {
    List<FunctionSpec> pools = new ArrayList<>(classes.declaredPools());
    synchronized (variants) {
      variants.values().forEach(v -> pools.add(FunctionVariants.spec(v)));
    }
    return pools;
  }

  /** The pool that serves a function a run does not have yet: a class's method, or a variant. */
  private Optional<FunctionSpec> poolOf(String function) {
    Optional<FunctionSpec> method = classes.poolOf(function);
    if (method.isPresent()) {
      return method;
    }
    return Optional.ofNullable(variants.get(function)).map(FunctionVariants::spec);
  }

  ClassPolicy classPolicy() {
    return classPolicy;
  }

  PayloadLimits payloadLimits() {
    return payloadLimits;
  }

  /** Adds a function; {@code batching} is null for one that takes inputs one at a time. */
  private void register(String function, FunctionOptions options, Batching batching, FunctionBody body) {
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
      FunctionSpec spec = FunctionSpec.of(function, options);
      functions.put(function, (batching == null ? spec : spec.withBatching(batching)).withBody(body));
    }
  }

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
    public Map<String, RegisteredCls> classes() {
      return App.this.classes.registered();
    }

    @Override
    public int deploy() {
      return App.this.deploy().version();
    }
  }
}
