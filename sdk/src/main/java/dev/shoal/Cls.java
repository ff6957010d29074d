package dev.shoal;

import java.util.List;
import java.util.Map;

/**
 * A class whose instance a container creates once and reuses for every input: Modal's {@code @app.cls}. Use it
 * for work that must load something expensive (a model, a connection pool) before its first input.
 *
 * <pre>{@code
 * static final Cls<Model> model = app.cls("Model", Model::load, options);
 * static final RemoteFunction<String, float[]> embed = model.method("embed", Model::embed);
 * }</pre>
 *
 * <p>Lifecycle: each container runs the factory once, before it takes an input (bounded by the options'
 * {@code startupTimeout}; a factory that throws fails the container's start, and after a few attempts its callers
 * receive the error). Every later input of that container runs on the same instance. When the container stops
 * (it was idle for the {@code scaledownWindow}, the run ended, or its process received SIGTERM) and the instance
 * is {@link AutoCloseable}, its {@code close()} runs, with a grace period of 30 s: Modal's {@code @exit}.
 *
 * <p>Pools: one pool of containers serves every method of a class, so the factory runs once per container
 * whichever methods are called. The options ({@code app.cls(name, factory, options)}) apply to that pool. With
 * {@code concurrency(n)} one instance runs up to n inputs at once and must be thread-safe. A class with a batched
 * method can have no other method, as in Modal.
 *
 * <p>Parameters: {@link #with(Map)} gives the class for one parameter set, which its factory receives as a
 * {@link ClsParams}; each distinct set is a pool of its own, scaled separately. Define methods on the class
 * itself, in static fields, and call them for a parameter set through {@link #method(RemoteFunction)}.
 */
public final class Cls<T> {
  private final ClsDefinition<T> definition;
  private final ClsParams params;

  Cls(ClsDefinition<T> definition, ClsParams params) {
    this.definition = definition;
    this.params = params;
  }

  /** The class's name within its app. */
  public String name() {
    return definition.name();
  }

  /** The parameter set this class stands for; empty unless it came from {@link #with}. */
  public ClsParams params() {
    return params;
  }

  /**
   * Defines a method: {@code body} runs in a container on that container's instance.
   *
   * @param name 1..64 characters of {@code [A-Za-z0-9_]}; the function is then named {@code Class.name}
   */
  @SuppressWarnings("unchecked")
  public <I, O> RemoteFunction<I, O> method(String name, Fn2<T, I, O> body) {
    Checks.notNull("method body", body);
    requireTheClassItself();
    definition.define(name, (self, argument) -> body.apply((T) self, (I) argument), null);
    return new MethodHandle<>(definition, params, name);
  }

  /**
   * Defines a batched method: callers pass single inputs, and a container runs the body on batches of them, as
   * {@link App#batched} does. The class can have no other method.
   */
  @SuppressWarnings("unchecked")
  public <I, O> RemoteFunction<I, O> batchedMethod(String name, Fn2<T, List<I>, List<O>> body, Batching batching) {
    Checks.notNull("method body", body);
    Checks.notNull("batching", batching);
    requireTheClassItself();
    definition.define(name, (self, arguments) -> body.apply((T) self, (List<I>) arguments), batching);
    return new MethodHandle<>(definition, params, name);
  }

  /**
   * A method of this class, as this parameter set's pool serves it.
   *
   * @param method what {@link #method(String, Fn2)} or {@link #batchedMethod} of this class returned
   */
  public <I, O> RemoteFunction<I, O> method(RemoteFunction<I, O> method) {
    Checks.notNull("method", method);
    if (!(method instanceof MethodHandle<I, O> m) || !m.belongsTo(definition)) {
      throw new InvalidOptionException(method + " is not a method of class '" + name() + "'");
    }
    return new MethodHandle<>(definition, params, m.method());
  }

  /**
   * This class for one parameter set, served by a pool of its own. The factory must take a {@link ClsParams}
   * ({@code app.cls(name, (ClsParams p) -> ...)}).
   *
   * @param params names to a {@code String}, an {@code Integer} or {@code Long}, a {@code Boolean} or a
   *     {@code byte[]}; 16 KiB in all at most. They replace, rather than add to, this class's parameters.
   */
  public Cls<T> with(Map<String, ?> params) {
    if (!definition.parameterised()) {
      throw new InvalidOptionException("the factory of class '" + name() + "' takes no ClsParams; define the class"
          + " with app.cls(name, (ClsParams params) -> ...) to give it parameters");
    }
    ClsParams set = ClsParams.of(params);
    definition.app.classes.declare(definition, set);
    return new Cls<>(definition, set);
  }

  private void requireTheClassItself() {
    if (!params.isEmpty()) {
      throw new InvalidOptionException("define methods on class '" + name() + "' itself, in a static field, so"
          + " that its containers have them; call one for a parameter set with with(params).method(method)");
    }
  }

  @Override
  public String toString() {
    return "Cls[" + definition.app.name() + "." + definition.poolName(params) + "]";
  }
}
