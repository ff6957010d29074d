package dev.shoal;

import java.util.stream.Stream;

/** A {@link RemoteFunction} of two arguments; {@link #starmap} fans it out over argument pairs. */
public interface RemoteFunction2<A, B, O> extends RemoteFunction<Args2<A, B>, O> {
  O remote(A a, B b);

  O local(A a, B b);

  FunctionCall<O> spawn(A a, B b);

  MapCall<O> starmap(Iterable<Args2<A, B>> inputs);

  MapCall<O> starmap(Iterable<Args2<A, B>> inputs, MapOptions options);

  MapCall<O> starmap(Stream<Args2<A, B>> inputs, MapOptions options);
}
