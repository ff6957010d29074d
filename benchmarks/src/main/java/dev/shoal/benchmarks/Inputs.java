package dev.shoal.benchmarks;

import java.util.List;
import java.util.stream.IntStream;

/** The inputs every map scenario uses, and the check that its results are right, so a fast wrong answer fails. */
public final class Inputs {
  private Inputs() {}

  /** 0 .. n-1, boxed before any clock starts. */
  public static List<Integer> upTo(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  /** Throws unless {@code sum} is the sum of x + 1 over 0 .. n-1. */
  public static void checkIncrementedSum(long sum, long n) {
    long expected = n * (n - 1) / 2 + n;
    if (sum != expected) {
      throw new IllegalStateException("wrong results: their sum is " + sum + ", expected " + expected);
    }
  }
}
