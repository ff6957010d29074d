package dev.shoal.benchmarks.jmh;

/**
 * The alternative to {@link ReorderBuffer} that the in-flight window allows: no more than {@code window} results
 * are ever outstanding, so index {@code i} can live in slot {@code i % window} of an array, with no boxing of the
 * index and no hashing. Benchmarked beside the copy to show what the hash map costs.
 */
final class RingReorderBuffer<T> {
  private final Object[] slots;
  private long taken;

  RingReorderBuffer(int window) {
    slots = new Object[window];
  }

  void arrived(long index, T result) {
    slots[(int) (index % slots.length)] = result;
  }

  boolean nextReady() {
    return slots[(int) (taken % slots.length)] != null;
  }

  @SuppressWarnings("unchecked")
  T takeNext() {
    int slot = (int) (taken % slots.length);
    T result = (T) slots[slot];
    slots[slot] = null;
    taken++;
    return result;
  }
}
