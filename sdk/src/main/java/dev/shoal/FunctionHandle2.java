package dev.shoal;

import java.util.stream.Stream;

/** The {@link RemoteFunction2} behind {@code app.function(name, (a, b) -> …)}. */
final class FunctionHandle2<A, B, O> extends FunctionHandle<Args2<A, B>, O> implements RemoteFunction2<A, B, O> {
  FunctionHandle2(App app, String name) {
    super(app, name);
  }

  @Override
  public O remote(A a, B b) {
    return remote(Args.of(a, b));
  }

  @Override
  public O local(A a, B b) {
    return local(Args.of(a, b));
  }

  @Override
  public FunctionCall<O> spawn(A a, B b) {
    return spawn(Args.of(a, b));
  }

  @Override
  public MapCall<O> starmap(Iterable<Args2<A, B>> inputs) {
    return map(inputs);
  }

  @Override
  public MapCall<O> starmap(Iterable<Args2<A, B>> inputs, MapOptions options) {
    return map(inputs, options);
  }

  @Override
  public MapCall<O> starmap(Stream<Args2<A, B>> inputs, MapOptions options) {
    return map(inputs, options);
  }
}
