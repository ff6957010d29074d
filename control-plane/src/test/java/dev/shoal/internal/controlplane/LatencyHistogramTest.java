package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void empty_reportsZeros() {
    assertThat(new LatencyHistogram().view()).isEqualTo(new LatencyView(0, 0, 0, 0, 0, 0));
  }

  @Test
  void percentiles_areWithinABucketAboveTheTrueValue() {
    LatencyHistogram h = new LatencyHistogram();
    for (int ms = 1; ms <= 1000; ms++) {
      h.record(ms);
    }
    LatencyView v = h.view();
    assertThat(v.count()).isEqualTo(1000);
    assertThat(v.meanMs()).isEqualTo(500);
    assertThat(v.p50Ms()).isBetween(500L, 600L);
    assertThat(v.p90Ms()).isBetween(900L, 1080L);
    assertThat(v.p99Ms()).isBetween(990L, 1190L);
    assertThat(v.maxMs()).isBetween(1000L, 1190L);
  }

  @Test
  void hugeAndNegativeLatencies_landInTheEndBuckets() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-5);
    h.record(Long.MAX_VALUE / 2);
    assertThat(h.percentileMillis(0.01)).isEqualTo(1);
    assertThat(h.percentileMillis(1.0)).isPositive();
  }
}
