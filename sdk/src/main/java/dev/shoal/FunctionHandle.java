package dev.shoal;

import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.CallRequest;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.SpawnRequest;
import io.grpc.StatusRuntimeException;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The {@link RemoteFunction} behind {@code app.function(...)}. */
class FunctionHandle<I, O> implements RemoteFunction<I, O> {
  /** The app that defined the function here, or null for one looked up by name. */
  final App app;
  final String name;
  private final App.Target lookedUp;
  private final ClassPolicy lookedUpPolicy;
  private final PayloadLimits lookedUpLimits;

  FunctionHandle(App app, String name) {
    this.app = app;
    this.name = name;
    this.lookedUp = null;
    this.lookedUpPolicy = null;
    this.lookedUpLimits = null;
  }

  /** A function of a deployed app, found by name. */
  FunctionHandle(String name, App.Target target, ClassPolicy policy) {
    this.app = null;
    this.name = name;
    this.lookedUp = target;
    this.lookedUpPolicy = policy;
    this.lookedUpLimits = PayloadLimits.configured();
  }

  private App.Target target() {
    return app != null ? app.target(name) : lookedUp;
  }

  private ClassPolicy policy() {
    return app != null ? app.classPolicy() : lookedUpPolicy;
  }

  private PayloadLimits limits() {
    return app != null ? app.payloadLimits() : lookedUpLimits;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public O remote(I input) {
    App.Target target = target();
    CallRequest request = CallRequest.newBuilder()
        .setFunctionId(target.functionId())
        .setArgs(Outcomes.encodeArgument(name, input, policy(), limits(), target.connection()))
        .build();
    CallResponse response;
    try {
      response = Rpc.callOnce(target.connection(), request, "call " + name);
    } catch (StatusRuntimeException e) {
      throw Rpc.translate(e, "call " + name);
    }
    return Outcomes.<O>toResult(response.getResult(), policy(), target.connection(), true).value();
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
    MapCallImpl<O> results = start(inputs, options);
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
  public FunctionCall<O> spawn(I input) {
    App.Target target = target();
    SpawnRequest request = SpawnRequest.newBuilder()
        .setFunctionId(target.functionId())
        .setArgs(Outcomes.encodeArgument(name, input, policy(), limits(), target.connection()))
        .build();
    try {
      String id = target.connection().spawn(request);
      return new FunctionCall<>(target.connection(), id, policy());
    } catch (StatusRuntimeException e) {
      throw Rpc.translate(e, "spawn " + name);
    }
  }

  /** An iterable can be read again, so its upload resumes from the first input after a server restart. */
  @Override
  public SpawnedMap spawnMap(Iterable<? extends I> inputs) {
    Checks.notNull("inputs", inputs);
    return SpawnedMap.upload(target(), name, inputs::iterator, true, policy(), limits());
  }

  @Override
  public SpawnedMap spawnMap(Stream<? extends I> inputs) {
    Checks.notNull("inputs", inputs);
    App.Target target = target();
    try (inputs) {
      java.util.Iterator<? extends I> once = Spliterators.iterator(inputs.spliterator());
      return SpawnedMap.upload(target, name, () -> once, false, policy(), limits());
    }
  }

  private MapCallImpl<O> start(Stream<? extends I> inputs, MapOptions options) {
    Checks.notNull("inputs", inputs);
    Checks.notNull("map options", options);
    App.Target target = target();
    return new MapCallImpl<>(target, name, Spliterators.iterator(inputs.spliterator()), inputs, options,
        policy(), limits());
  }

  @Override
  public String toString() {
    return "RemoteFunction[" + (app != null ? app.name() + "." : "") + name + "]";
  }
}
