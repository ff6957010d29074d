package dev.shoal.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.FunctionSummary;
import dev.shoal.internal.controlplane.LatencyView;
import dev.shoal.internal.store.memory.MemoryStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The charts' history: what each sample adds, on a clock the test moves. */
class HistoryTest {
  @Test
  void throughputIsTheInputsFinishedSinceTheSampleBeforeASecond() {
    History.Series series = new History.Series();
    series.add(10_000, summary(0, 0, 7, 2), latency(12, 80));
    series.add(15_000, summary(40, 10, 3, 2), latency(14, 95));
    series.add(20_000, summary(90, 10, 0, 1), latency(15, 99));

    Map<String, Object> columns = History.columns(series.points());
    assertThat(columns.get("timeS")).isEqualTo(List.of(10.0, 15.0, 20.0));
    assertThat(columns.get("throughput")).isEqualTo(Arrays.asList(null, 10.0, 10.0));
    assertThat(columns.get("p50Ms")).isEqualTo(List.of(12L, 14L, 15L));
    assertThat(columns.get("p99Ms")).isEqualTo(List.of(80L, 95L, 99L));
    assertThat(columns.get("queued")).isEqualTo(List.of(7, 3, 0));
    assertThat(columns.get("containers")).isEqualTo(List.of(2, 2, 1));
  }

  @Test
  void onlyTheLastHourOfSamplesIsKept() {
    History.Series series = new History.Series();
    for (int i = 0; i < History.KEPT + 10; i++) {
      series.add(i * 5_000L, summary(i, 0, 0, 1), null);
    }
    @SuppressWarnings("unchecked")
    List<Double> times = (List<Double>) History.columns(series.points()).get("timeS");
    assertThat(times).hasSize(History.KEPT).startsWith(50.0);
  }

  @Test
  void aControlPlaneWithoutAppsHasNoHistory() {
    FakeClock clock = new FakeClock();
    try (ControlPlane cp = new ControlPlane(clock, new MemoryStore(), Duration.ofDays(1), null, "x")) {
      History history = new History(cp.activity(), clock, Optional.empty());
      history.sample();
      assertThat(history.of("fu-none")).isEmpty();
    }
  }

  private static FunctionSummary summary(long succeeded, long failed, int queued, int containers) {
    return new FunctionSummary("fu-1", "ap-1", "app", "work", containers, queued, 0, succeeded + failed, succeeded,
        failed, 0);
  }

  private static LatencyView latency(long p50, long p99) {
    return new LatencyView(1, p50, p50, p99, p99, p99);
  }
}
