package dev.shoal;

/** A function of three arguments that Shoal can run in a container; the target of {@code starmap}. */
@FunctionalInterface
public interface Fn3<A, B, C, O> {
  O apply(A a, B b, C c) throws Exception;
}
