package dev.shoal;

/** The three arguments of one call to a {@link RemoteFunction3}. */
public record Args3<A, B, C>(A a, B b, C c) {}
