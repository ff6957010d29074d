package dev.shoal.benchmarks.jmh;

import java.util.HashMap;
import java.util.Map;

/**
 * A copy of how an ordered map puts results back in input order ({@code dev.shoal.MapCallImpl}, which is
 * package-private): results arrive keyed by input index into a hash map, and the caller takes index
 * {@code taken}, then {@code taken + 1}, and so on. Kept in step with that class by hand.
 */
final class ReorderBuffer<T> {
  private final Map<Long, T> outOfOrder = new HashMap<>();
  private long taken;

  void arrived(long index, T result) {
    outOfOrder.put(index, result);
  }

  boolean nextReady() {
    return outOfOrder.containsKey(taken);
  }

  T takeNext() {
    T result = outOfOrder.remove(taken);
    taken++;
    return result;
  }
}
