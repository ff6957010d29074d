package dev.shoal.internal.runtime;

/**
 * How many inputs a container wants outstanding: what its workers run at once, plus a prefetch sized to about
 * {@link #PREFETCH_TARGET_NANOS} of work at the function's observed speed. Fast functions thus keep a few hundred
 * inputs queued locally and never wait for a round trip, while slow ones hold nothing beyond what they run, so
 * that idle containers elsewhere get the rest.
 *
 * <p>A batched function's workers each take a batch at a time, so the container asks for enough inputs to fill a
 * batch per worker, and keeps the next full batches waiting while these run: a batch then never starts short and
 * waits for company that is only on its way because the last batch finished.
 */
final class PrefetchWindow {
  private static final long PREFETCH_TARGET_NANOS = 5_000_000;
  private static final int MAX_PREFETCH = 512;
  /** Below this average an input is fast enough for its output to wait for the next one's; see {@link #fast}. */
  private static final long FAST_NANOS = 50_000;

  /** How many inputs the workers run at once: concurrency, times the batch size for a batched function. */
  private final int capacity;
  private final boolean batched;
  // Guarded by this.
  private double averageNanos;

  PrefetchWindow(int concurrency, int batchMaxSize) {
    this.capacity = concurrency * batchMaxSize;
    this.batched = batchMaxSize > 1;
  }

  /** The window to announce now. */
  synchronized int size() {
    int prefetch = averageNanos <= 0 ? 0 : (int) Math.min(MAX_PREFETCH, PREFETCH_TARGET_NANOS / averageNanos);
    if (batched) {
      prefetch = Math.max(prefetch, capacity);
    }
    return capacity + prefetch;
  }

  /**
   * Whether the function's inputs take so little time on average that an output may wait for the next input's,
   * to share a message with it, without a caller noticing the delay.
   */
  synchronized boolean fast() {
    return averageNanos > 0 && averageNanos < FAST_NANOS;
  }

  /** Notes that {@code inputs} inputs finished together in {@code nanos}. */
  synchronized void finished(int inputs, long nanos) {
    long perInput = nanos / Math.max(1, inputs);
    averageNanos = averageNanos <= 0 ? perInput : averageNanos * 0.9 + perInput * 0.1;
  }
}
