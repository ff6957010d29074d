package dev.shoal;

import dev.shoal.internal.client.FunctionSpec;
import dev.shoal.internal.client.MethodBody;
import dev.shoal.internal.client.RegisteredCls;
import dev.shoal.internal.client.RegisteredMethod;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A class defined with {@code app.cls(...)}: its factory, options and methods, shared by the {@link Cls} of every
 * parameter set. Each parameter set is a pool of its own, named after the class and the set's label.
 */
final class ClsDefinition<T> implements RegisteredCls {
  private static final Pattern METHOD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  final App app;
  private final String name;
  private final Fn<ClsParams, T> factory;
  private final boolean parameterised;
  private final FunctionOptions options;
  // Guarded by this.
  private final Map<String, RegisteredMethod> methods = new LinkedHashMap<>();
  private Batching batching;
  // Guarded by itself: the instances that local() calls run on, one per parameter set, made on first use.
  private final Map<ClsParams, T> localInstances = new HashMap<>();

  /**
   * @param parameterised whether the factory reads a {@link ClsParams}, which is what allows {@link Cls#with}
   */
  ClsDefinition(App app, String name, Fn<ClsParams, T> factory, boolean parameterised, FunctionOptions options) {
    this.app = app;
    this.name = name;
    this.factory = factory;
    this.parameterised = parameterised;
    this.options = Checks.notNull("class options", options);
  }

  @Override
  public String name() {
    return name;
  }

  boolean parameterised() {
    return parameterised;
  }

  /** Adds a method; a batched method must be the class's only one, as in Modal. */
  synchronized void define(String method, MethodBody body, Batching methodBatching) {
    Checks.notNull("method name", method);
    if (!METHOD_NAME.matcher(method).matches()) {
      throw new InvalidOptionException(
          "method name must be 1..64 characters of [A-Za-z0-9_] not starting with a digit, was '" + method + "'");
    }
    if (methods.containsKey(method)) {
      throw new InvalidOptionException("class '" + name + "' already has a method named '" + method + "'");
    }
    if (batching != null || (methodBatching != null && !methods.isEmpty())) {
      String batched = batching != null ? methods.keySet().iterator().next() : method;
      throw new InvalidOptionException("class '" + name + "' has the batched method '" + batched
          + "'; a class with a batched method can have no other method");
    }
    methods.put(method, new RegisteredMethod(method, body, methodBatching != null));
    batching = methodBatching;
  }

  synchronized boolean hasMethod(String method) {
    return methods.containsKey(method);
  }

  synchronized RegisteredMethod method(String method) {
    RegisteredMethod m = methods.get(method);
    if (m == null) {
      throw new NotFoundException("class '" + name + "' has no method '" + method + "'");
    }
    return m;
  }

  /** The name of the pool that serves a parameter set: the class's name, then the set's label. */
  String poolName(ClsParams params) {
    return name + params.label();
  }

  /** What the control plane needs to run the pool of one parameter set. */
  synchronized FunctionSpec definition(ClsParams params) {
    FunctionSpec pool = FunctionSpec.of(poolName(params), options).forCls(name, methods.keySet(), params.encoded());
    return batching == null ? pool : pool.withBatching(batching);
  }

  @Override
  public Object create(byte[] params) throws Exception {
    ClsParams decoded = ClsParams.decode(params);
    T instance = factory.apply(decoded);
    if (instance == null) {
      throw new IllegalStateException("the factory of class '" + name + "' returned null");
    }
    return instance;
  }

  @Override
  public synchronized Map<String, RegisteredMethod> methods() {
    return Map.copyOf(methods);
  }

  /**
   * The instance that {@code local} calls of one parameter set run on, made on first use and kept: this JVM
   * plays the part of one container. It is never closed.
   */
  T localInstance(ClsParams params) throws Exception {
    synchronized (localInstances) {
      T instance = localInstances.get(params);
      if (instance == null) {
        instance = factory.apply(params);
        localInstances.put(params, instance);
      }
      return instance;
    }
  }

  @Override
  public String toString() {
    return "Cls[" + app.name() + "." + name + "]";
  }
}
