package dev.shoal;

/** The two arguments of one call to a {@link RemoteFunction2}. */
public record Args2<A, B>(A a, B b) {}
