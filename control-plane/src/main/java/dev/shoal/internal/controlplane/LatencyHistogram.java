package dev.shoal.internal.controlplane;

/**
 * How long a function's attempts took, in a fixed set of buckets: its memory does not grow with the number of
 * attempts. Bucket bounds grow by a quarter of a power of two, so a percentile read from it is at most about 19%
 * above the true one, which is as close as a dashboard needs.
 */
final class LatencyHistogram {
  /** Upper bounds in milliseconds: 1 ms up to about 12 days. */
  private static final long[] BOUNDS = bounds();

  private final long[] counts = new long[BOUNDS.length + 1];
  private long total;
  private long sumMillis;

  private static long[] bounds() {
    long[] b = new long[120];
    for (int i = 0; i < b.length; i++) {
      b[i] = Math.max(1, Math.round(Math.pow(2, i / 4.0)));
    }
    return b;
  }

  synchronized void record(long millis) {
    long m = Math.max(0, millis);
    int i = 0;
    while (i < BOUNDS.length && m > BOUNDS[i]) {
      i++;
    }
    counts[i]++;
    total++;
    sumMillis += m;
  }

  /** The latency at {@code quantile} (0..1): the upper bound of the bucket it falls in; 0 when nothing ran. */
  synchronized long percentileMillis(double quantile) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= Math.max(1, rank)) {
        return i < BOUNDS.length ? BOUNDS[i] : BOUNDS[BOUNDS.length - 1];
      }
    }
    return BOUNDS[BOUNDS.length - 1];
  }

  synchronized LatencyView view() {
    return new LatencyView(total, total == 0 ? 0 : sumMillis / total, percentileMillis(0.5), percentileMillis(0.9),
        percentileMillis(0.99), percentileMillis(1.0));
  }
}
