package dev.shoal.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Percentiles of a set of measured durations, by sorting them (nearest-rank). */
public final class Latencies {
  private final long[] sortedNanos;

  public Latencies(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no durations were measured");
    }
    sortedNanos = nanos.clone();
    Arrays.sort(sortedNanos);
  }

  public double percentileMillis(double percentile) {
    int rank = (int) Math.ceil(percentile / 100.0 * sortedNanos.length);
    return sortedNanos[Math.max(0, rank - 1)] / 1e6;
  }

  public double meanMillis() {
    return Arrays.stream(sortedNanos).average().orElseThrow() / 1e6;
  }

  /** The spread, for a figure's details. */
  public Map<String, Object> summary() {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("samples", sortedNanos.length);
    summary.put("minMs", sortedNanos[0] / 1e6);
    summary.put("p50Ms", percentileMillis(50));
    summary.put("p90Ms", percentileMillis(90));
    summary.put("p99Ms", percentileMillis(99));
    summary.put("p99.9Ms", percentileMillis(99.9));
    summary.put("maxMs", sortedNanos[sortedNanos.length - 1] / 1e6);
    summary.put("meanMs", meanMillis());
    return summary;
  }
}
