package dev.shoal;

import dev.shoal.internal.client.FunctionCalls;
import java.util.Spliterators;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The {@link RemoteFunction} behind {@code app.function(...)}. */
class FunctionHandle<I, O> implements RemoteFunction<I, O> {
  /** The app that defined the function here, or null for one looked up by name. */
  final App app;
  final String name;
  private final FunctionCalls calls;

  FunctionHandle(App app, String name) {
    this.app = app;
    this.name = name;
    this.calls = new FunctionCalls(name, () -> app.target(name), app.classPolicy(), app.payloadLimits());
  }

  /** A function of a deployed app, found by name. */
  FunctionHandle(String name, FunctionCalls lookedUp) {
    this.app = null;
    this.name = name;
    this.calls = lookedUp;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public O remote(I input) {
    return calls.remote(input);
  }

  @Override
  @SuppressWarnings("unchecked")
  public O local(I input) {
    if (app == null) {
      throw new InvalidOptionException("local() needs the function's body, which a function looked up by name "
          + "does not have here; call remote() instead");
    }
    try {
      return (O) app.body(name).invoke(input);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new RemoteException(e.getClass().getName(), String.valueOf(e.getMessage()),
          new RemoteException.RemoteStackTrace(e.getClass().getName(), e.getMessage(), e.getStackTrace(), null));
    }
  }

  @Override
  public MapCall<O> map(Iterable<? extends I> inputs) {
    return map(inputs, MapOptions.defaults());
  }

  @Override
  public MapCall<O> map(Iterable<? extends I> inputs, MapOptions options) {
    Checks.notNull("inputs", inputs);
    return map(StreamSupport.stream(inputs.spliterator(), false), options);
  }

  @Override
  public MapCall<O> map(Stream<? extends I> inputs) {
    return map(inputs, MapOptions.defaults());
  }

  @Override
  public MapCall<O> map(Stream<? extends I> inputs, MapOptions options) {
    MapCall<Result<O>> results = start(inputs, options);
    return new ValueMapCall<>(results);
  }

  @Override
  public MapCall<Result<O>> mapResults(Iterable<? extends I> inputs) {
    return mapResults(inputs, MapOptions.defaults());
  }

  @Override
  public MapCall<Result<O>> mapResults(Iterable<? extends I> inputs, MapOptions options) {
    Checks.notNull("inputs", inputs);
    return mapResults(StreamSupport.stream(inputs.spliterator(), false), options);
  }

  @Override
  public MapCall<Result<O>> mapResults(Stream<? extends I> inputs, MapOptions options) {
    return start(inputs, options);
  }

  @Override
  public void forEach(Iterable<? extends I> inputs) {
    try (MapCall<O> results = map(inputs, MapOptions.unordered())) {
      results.forEach(ignored -> {});
    }
  }

  @Override
  public void forEach(Stream<? extends I> inputs) {
    try (MapCall<O> results = map(inputs, MapOptions.unordered())) {
      results.forEach(ignored -> {});
    }
  }

  @Override
  public RemoteFunction<I, O> withOptions(UnaryOperator<FunctionOptions.Builder> change) {
    Checks.notNull("options change", change);
    return variant(change, null);
  }

  @Override
  public RemoteFunction<I, O> withBatching(Batching batching) {
    Checks.notNull("batching", batching);
    return variant(UnaryOperator.identity(), batching);
  }

  private RemoteFunction<I, O> variant(UnaryOperator<FunctionOptions.Builder> change, Batching batching) {
    if (app == null) {
      FunctionCalls variant = calls.variant(change, batching);
      return new FunctionHandle<>(variant.name(), variant);
    }
    return sameKind(app.variant(name, change, batching));
  }

  /** A handle of this kind on another function of the same app: a variant of this one. */
  FunctionHandle<I, O> sameKind(String function) {
    return new FunctionHandle<>(app, function);
  }

  @Override
  public void updateAutoscaler(UnaryOperator<AutoscalerSettings.Builder> change) {
    Checks.notNull("autoscaler change", change);
    AutoscalerSettings.Builder builder = change.apply(AutoscalerSettings.builder());
    if (builder == null) {
      throw new InvalidOptionException("the autoscaler settings of " + name
          + " came back null; return the builder you were given");
    }
    calls.updateAutoscaler(builder.build());
  }

  @Override
  public FunctionStats currentStats() {
    return calls.stats();
  }

  @Override
  public FunctionCall<O> spawn(I input) {
    return new FunctionCall<>(calls.spawn(input));
  }

  /** An iterable can be read again, so its upload resumes from the first input after a server restart. */
  @Override
  public SpawnedMap spawnMap(Iterable<? extends I> inputs) {
    Checks.notNull("inputs", inputs);
    return new SpawnedMap(calls.spawnMap(inputs));
  }

  @Override
  public SpawnedMap spawnMap(Stream<? extends I> inputs) {
    Checks.notNull("inputs", inputs);
    return new SpawnedMap(calls.spawnMap(inputs));
  }

  private MapCall<Result<O>> start(Stream<? extends I> inputs, MapOptions options) {
    Checks.notNull("inputs", inputs);
    Checks.notNull("map options", options);
    java.util.Spliterator<? extends I> split = inputs.spliterator();
    // A collection's stream knows its size, so the progress bar can show one from the start.
    return calls.map(Spliterators.iterator(split), inputs, split.getExactSizeIfKnown(), options);
  }

  @Override
  public String toString() {
    return "RemoteFunction[" + (app != null ? app.name() + "." : "") + name + "]";
  }
}
