package dev.shoal;

import java.util.stream.Stream;

/** A {@link RemoteFunction} of three arguments; {@link #starmap} fans it out over argument triples. */
public interface RemoteFunction3<A, B, C, O> extends RemoteFunction<Args3<A, B, C>, O> {
  O remote(A a, B b, C c);

  O local(A a, B b, C c);

  FunctionCall<O> spawn(A a, B b, C c);

  MapCall<O> starmap(Iterable<Args3<A, B, C>> inputs);

  MapCall<O> starmap(Iterable<Args3<A, B, C>> inputs, MapOptions options);

  MapCall<O> starmap(Stream<Args3<A, B, C>> inputs, MapOptions options);
}
