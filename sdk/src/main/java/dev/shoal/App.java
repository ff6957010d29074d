package dev.shoal;

import dev.shoal.internal.client.AppRegistry;
import dev.shoal.internal.client.CurrentInput;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.Engines;
import dev.shoal.internal.client.FunctionBody;
import dev.shoal.internal.client.RegisteredApp;
import dev.shoal.internal.client.RegisteredFunction;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.RetryPolicy;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import dev.shoal.protocol.v1.StopAppRequest;
import io.grpc.StatusRuntimeException;
import java.io.File;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
  private final Map<String, RegisteredFunction> functions = Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile Binding binding;

  private App(String name, Class<?> appClass) {
    this.name = name;
    this.appClass = appClass;
    this.classPolicy = ClassPolicy.forApp(appClass);
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
    StartAppRequest.Builder request = StartAppRequest.newBuilder()
        .setAppName(name)
        .setAppClass(appClass.getName())
        .setBackend(options.backend().name().toLowerCase(java.util.Locale.ROOT))
        .addAllClasspath(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
    synchronized (functions) {
      functions.values().forEach(f -> request.addFunctions(f.definition()));
    }
    StartAppResponse response;
    try {
      response = connection.blocking().startApp(request.build());
    } catch (StatusRuntimeException e) {
      throw Rpc.translate(e, "start app '" + name + "'");
    }
    binding = new Binding(connection, response.getAppId(), Map.copyOf(response.getFunctionIdsMap()));
    return new AppRun(this, response.getAppId(), true);
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
      throw new NotFoundException("function '" + function + "' was defined after app '" + name
          + "' started running; define every function before app.run()");
    }
    return new Target(current.connection(), id);
  }

  FunctionBody body(String function) {
    return functions.get(function).body();
  }

  ClassPolicy classPolicy() {
    return classPolicy;
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
      functions.put(function, new RegisteredFunction(function, definition(function, options), body));
    }
  }

  private static FunctionDefinition definition(String name, FunctionOptions o) {
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
    public void joinRun(EngineConnection connection, String appId, Map<String, String> functionIds) {
      binding = new Binding(connection, appId, Map.copyOf(functionIds));
    }
  }
}
