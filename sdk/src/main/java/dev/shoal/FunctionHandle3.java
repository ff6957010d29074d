package dev.shoal;

import java.util.stream.Stream;

/** The {@link RemoteFunction3} behind {@code app.function(name, (a, b, c) -> …)}. */
final class FunctionHandle3<A, B, C, O> extends FunctionHandle<Args3<A, B, C>, O>
    implements RemoteFunction3<A, B, C, O> {
  FunctionHandle3(App app, String name) {
    super(app, name);
  }

  @Override
  public O remote(A a, B b, C c) {
    return remote(Args.of(a, b, c));
  }

  @Override
  public O local(A a, B b, C c) {
    return local(Args.of(a, b, c));
  }

  @Override
  public FunctionCall<O> spawn(A a, B b, C c) {
    return spawn(Args.of(a, b, c));
  }

  @Override
  public MapCall<O> starmap(Iterable<Args3<A, B, C>> inputs) {
    return map(inputs);
  }

  @Override
  public MapCall<O> starmap(Iterable<Args3<A, B, C>> inputs, MapOptions options) {
    return map(inputs, options);
  }

  @Override
  public MapCall<O> starmap(Stream<Args3<A, B, C>> inputs, MapOptions options) {
    return map(inputs, options);
  }
}
