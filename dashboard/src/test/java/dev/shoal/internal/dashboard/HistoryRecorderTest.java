package dev.shoal.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.store.FunctionHistory;
import dev.shoal.internal.store.HistoryPoint;
import dev.shoal.internal.store.memory.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The history written to the store: a minute at a time, and read back by a dashboard started later. */
class HistoryRecorderTest {
  private static final long MINUTE = HistoryRecorder.INTERVAL.toMillis();

  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore();
  private final FunctionHistory stored = store.functionHistory();
  private ControlPlane controlPlane;
  private HistoryRecorder recorder;
  private long t0;

  @BeforeEach
  void start() {
    controlPlane = new ControlPlane(clock, store, Duration.ofDays(1), null, "x");
    recorder = new HistoryRecorder(stored, controlPlane.activity());
    t0 = clock.millis();
  }

  @AfterEach
  void stop() {
    controlPlane.close();
  }

  @Test
  void aMinuteOfSamplesIsWrittenAsOnePointOnceTheMinuteEnds() {
    recorder.note("fu-1", new History.Point(t0, Double.NaN, 10, 90, 4, 1));
    recorder.note("fu-1", new History.Point(t0 + 20_000, 6, 12, 95, 9, 3));
    recorder.note("fu-1", new History.Point(t0 + 40_000, 2, 14, 99, 1, 2));
    recorder.note("fu-2", new History.Point(t0 + 5_000, 1, 1, 1, 0, 1));

    recorder.writeEnded(t0 + MINUTE - 1);
    assertThat(stored.points("fu-1", Instant.EPOCH)).isEmpty();

    recorder.writeEnded(t0 + MINUTE);
    assertThat(stored.points("fu-1", Instant.EPOCH))
        .containsExactly(new HistoryPoint("fu-1", Instant.ofEpochMilli(t0), 4.0, 14, 99, 9, 3));
    assertThat(stored.points("fu-2", Instant.EPOCH)).hasSize(1);
  }

  @Test
  void writingAllStoresTheMinuteInProgress() {
    recorder.note("fu-1", new History.Point(t0 + 1_000, 3, 10, 90, 4, 1));

    recorder.writeAll(t0 + 2_000);

    assertThat(stored.points("fu-1", Instant.EPOCH)).extracting(HistoryPoint::throughput).containsExactly(3.0);
  }

  @Test
  void aDashboardStartedLaterOverTheSameStoreChartsTheStoredMinutes() {
    recorder.note("fu-1", new History.Point(t0, Double.NaN, 10, 90, 4, 1));
    recorder.note("fu-1", new History.Point(t0 + MINUTE, 5, 11, 91, 2, 2));
    recorder.writeAll(t0 + MINUTE + 1);
    clock.advance(Duration.ofMinutes(10));

    History restarted = new History(controlPlane.activity(), clock,
        Optional.of(new HistoryRecorder(stored, controlPlane.activity())));
    Map<String, Object> columns = restarted.of("fu-1").orElseThrow();

    assertThat(columns.get("timeS")).isEqualTo(List.of(t0 / 1000.0, (t0 + MINUTE) / 1000.0));
    assertThat(columns.get("throughput")).isEqualTo(Arrays.asList(null, 5.0));
    assertThat(columns.get("queued")).isEqualTo(List.of(4, 2));
  }

  @Test
  void storedMinutesOlderThanTheRetentionAreNotCharted() {
    recorder.note("fu-1", new History.Point(t0, 1, 10, 90, 4, 1));
    recorder.writeAll(t0 + 1);
    clock.advance(HistoryRecorder.KEPT.plusMinutes(1));

    History later = new History(controlPlane.activity(), clock, Optional.of(recorder));

    assertThat(later.of("fu-1")).isEmpty();
  }
}
