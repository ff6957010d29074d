package dev.shoal.examples;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.Args;
import dev.shoal.Args2;
import dev.shoal.RemoteFunction2;
import java.util.ArrayList;
import java.util.List;

/** Fans a two-argument function out over pairs of arguments with {@code starmap}. */
public final class Starmap {
  static final App app = App.named("starmap");

  /** Counts the primes in [from, to): a little real work per input. */
  static final RemoteFunction2<Integer, Integer, Integer> countPrimes = app.function("countPrimes", (from, to) -> {
    int count = 0;
    for (int n = Math.max(2, from); n < to; n++) {
      boolean prime = true;
      for (int d = 2; (long) d * d <= n; d++) {
        if (n % d == 0) {
          prime = false;
          break;
        }
      }
      if (prime) {
        count++;
      }
    }
    return count;
  });

  private Starmap() {}

  public static void main(String[] args) {
    int chunk = 250_000;
    List<Args2<Integer, Integer>> ranges = new ArrayList<>();
    for (int from = 0; from < 2_000_000; from += chunk) {
      ranges.add(Args.of(from, from + chunk));
    }
    try (AppRun run = app.run()) {
      List<Integer> counts = countPrimes.starmap(ranges).toList();
      for (int i = 0; i < ranges.size(); i++) {
        System.out.printf("primes in [%,d, %,d): %,d%n", ranges.get(i).a(), ranges.get(i).b(), counts.get(i));
      }
      System.out.printf("primes below %,d: %,d%n", 2_000_000, counts.stream().mapToInt(Integer::intValue).sum());
    }
  }
}
