package dev.shoal;

/** A function of two arguments that Shoal can run in a container; the target of {@code starmap}. */
@FunctionalInterface
public interface Fn2<A, B, O> {
  O apply(A a, B b) throws Exception;
}
