package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void aRunningMapShowsDoneOfTotalRateFailuresContainersElapsedAndTimeLeft() {
    assertThat(new ProgressLine("map square", 50, 200, 3, 4, 2 * SECOND, 25.0).render())
        .isEqualTo("map square [=======>                      ] 50/200 · 25.0/s · 3 failed · 4 containers · 2s"
            + " · ETA 6s");
  }

  @Test
  void beforeTheFirstResultTheLineSaysContainersAreStartingRatherThanARateOfZero() {
    assertThat(new ProgressLine("map square", 0, 200, 0, 4, 3 * SECOND, 0.0).render())
        .isEqualTo("map square [>                             ] 0/200 · starting 4 containers · 3s");
    assertThat(new ProgressLine("map square", 0, -1, 0, 0, SECOND, Double.NaN).render())
        .isEqualTo("map square 0 · waiting for containers · 1s");
  }

  @Test
  void aMapWithoutATotalYetShowsACountAndNoTimeLeft() {
    assertThat(new ProgressLine("map square", 12, -1, 0, 1, 65 * SECOND, 4.5).render())
        .isEqualTo("map square 12 · 4.5/s · 1 container · 1m05s");
  }

  @Test
  void theFinalLineShowsTheAverageRateAndTheWholeTime() {
    assertThat(new ProgressLine("map square", 200, 200, 0, 4, 4 * SECOND, 99.0).renderFinal())
        .isEqualTo("map square [==============================] 200/200 · 50.0/s · 4s");
  }

  @Test
  void durationsReadAsSecondsMinutesOrHours() {
    assertThat(ProgressLine.duration(45 * SECOND)).isEqualTo("45s");
    assertThat(ProgressLine.duration(187 * SECOND)).isEqualTo("3m07s");
    assertThat(ProgressLine.duration(7500 * SECOND)).isEqualTo("2h05m");
  }

  @Test
  void theRateIsMeasuredOverTheRecentWindowNotSinceTheStart() {
    RateWindow window = new RateWindow(5 * SECOND);
    // Ten seconds with nothing done (containers starting), then 100 inputs a second.
    assertThat(window.sample(0, 0)).isNaN();
    window.sample(10 * SECOND, 0);
    for (int s = 11; s <= 20; s++) {
      window.sample(s * SECOND, (s - 10) * 100L);
    }
    assertThat(window.sample(21 * SECOND, 1_100)).isEqualTo(100.0);
  }
}
