package dev.shoal.internal.client;

import java.util.ArrayDeque;

/**
 * A moving rate: how many inputs a second finished over the last few seconds, from samples of a running count.
 * A map's early seconds (containers starting, the JIT warming) would drag a rate since the start down for its whole
 * run, and a time left computed from it would be wrong by as much.
 */
final class RateWindow {
  private final long windowNanos;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();

  RateWindow(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  /** Notes that the count was {@code count} at {@code nanos}; returns the rate over the window, or NaN. */
  double sample(long nanos, long count) {
    samples.addLast(new long[] {nanos, count});
    while (samples.size() > 2 && nanos - samples.peekFirst()[0] > windowNanos) {
      samples.removeFirst();
    }
    long[] first = samples.peekFirst();
    long span = nanos - first[0];
    if (span <= 0) {
      return Double.NaN;
    }
    return (count - first[1]) * 1e9 / span;
  }
}
