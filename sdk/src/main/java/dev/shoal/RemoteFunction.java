package dev.shoal;

import dev.shoal.internal.client.FunctionCalls;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A function that runs in containers. Call it with {@link #remote}, fan it out with {@link #map}, or start it
 * and collect the result later with {@link #spawn}. Every way of calling it needs the app to be running.
 */
public interface RemoteFunction<I, O> {
  /** The function's name within its app. */
  String name();

  /** Runs the function in a container and waits for its result; a remote failure is rethrown. */
  O remote(I input);

  /** Runs the function's body in this thread, without a container. */
  O local(I input);

  /** Runs the function on every input and yields the results in input order; the first failure is thrown. */
  MapCall<O> map(Iterable<? extends I> inputs);

  MapCall<O> map(Iterable<? extends I> inputs, MapOptions options);

  /** As {@link #map(Iterable)}; the stream is consumed lazily, as the in-flight window allows. */
  MapCall<O> map(Stream<? extends I> inputs);

  MapCall<O> map(Stream<? extends I> inputs, MapOptions options);

  /** As {@link #map(Iterable)}, but every input yields a {@link Result}, so one failure does not end the map. */
  MapCall<Result<O>> mapResults(Iterable<? extends I> inputs);

  MapCall<Result<O>> mapResults(Iterable<? extends I> inputs, MapOptions options);

  MapCall<Result<O>> mapResults(Stream<? extends I> inputs, MapOptions options);

  /** Runs the function on every input for its side effects, and waits until all are done. */
  void forEach(Iterable<? extends I> inputs);

  void forEach(Stream<? extends I> inputs);

  /** Starts the function and returns at once with a handle whose id stays valid in other processes. */
  FunctionCall<O> spawn(I input);

  /**
   * Starts the function on every input and returns once all of them are stored, without waiting for any to run.
   * Results are not kept: each task must write its output somewhere durable (a volume, a database). Failures are
   * kept and counted in {@link SpawnedMap#progress()}.
   */
  SpawnedMap spawnMap(Iterable<? extends I> inputs);

  SpawnedMap spawnMap(Stream<? extends I> inputs);

  /**
   * A variant of this function: the same body with the options {@code change} makes of this function's, served
   * by a pool of its own that scales independently and never shares containers with this function's. Asking again
   * for the same options gives the same pool, in this process or another. Works on functions of an app defined
   * here and on those found with {@link #fromName}; a variant of a deployed function is added to its deployment.
   *
   * <pre>{@code
   * RemoteFunction<Doc, Summary> big = summarize.withOptions(o -> o.maxContainers(16).memoryMb(4096));
   * }</pre>
   *
   * @throws InvalidOptionException if an option is out of range, or this is a method of a {@link Cls}
   */
  RemoteFunction<I, O> withOptions(UnaryOperator<FunctionOptions.Builder> change);

  /** A variant whose containers run up to {@code maxInputs} at once, sized for {@code targetInputs} each. */
  default RemoteFunction<I, O> withConcurrency(int maxInputs, int targetInputs) {
    return withOptions(o -> o.concurrency(maxInputs, targetInputs));
  }

  /**
   * A variant of a batched function with other batch settings.
   *
   * @throws InvalidOptionException if this function is not batched
   */
  RemoteFunction<I, O> withBatching(Batching batching);

  /**
   * Changes how the function's pool scales, at once: raise the floor before a burst, lower the cap to spare a
   * database. The settings hold until the app stops or a new version is deployed; unset ones keep their value.
   *
   * <pre>{@code
   * f.updateAutoscaler(a -> a.minContainers(2).maxContainers(20).scaledownWindow(Duration.ofSeconds(30)));
   * }</pre>
   */
  void updateAutoscaler(UnaryOperator<AutoscalerSettings.Builder> change);

  /** The function's backlog and containers now. */
  FunctionStats currentStats();

  /**
   * A function of the newest deployed version of an app, from any process that reaches the same engine.
   *
   * @throws NotFoundException if no such app is deployed in the configured environment, or it has no such
   *     function
   */
  static <I, O> RemoteFunction<I, O> fromName(String appName, String functionName) {
    Checks.notNull("app name", appName);
    Checks.notNull("function name", functionName);
    return new FunctionHandle<>(functionName, FunctionCalls.lookup(appName, functionName));
  }
}
