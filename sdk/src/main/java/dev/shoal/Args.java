package dev.shoal;

/** Makes the argument tuples that {@code starmap} and the two- and three-argument functions take. */
public final class Args {
  private Args() {}

  public static <A, B> Args2<A, B> of(A a, B b) {
    return new Args2<>(a, b);
  }

  public static <A, B, C> Args3<A, B, C> of(A a, B b, C c) {
    return new Args3<>(a, b, c);
  }
}
