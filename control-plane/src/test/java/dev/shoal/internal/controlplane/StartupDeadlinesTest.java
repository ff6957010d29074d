package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupDeadlinesTest {
  @Test
  void deadlineIsTheConfiguredTimeoutUntilStartsAreMeasured() {
    assertThat(new StartupDeadlines(5_000).nextMillis()).isEqualTo(5_000);
  }

  @Test
  void deadlineIsThreeTimesTheSlowestOfTheLastEightStartsAndNeverBelowTheConfiguredTimeout() {
    StartupDeadlines deadlines = new StartupDeadlines(5_000);
    deadlines.ready(1_000);
    assertThat(deadlines.nextMillis()).as("3 s is below the timeout").isEqualTo(5_000);

    deadlines.ready(4_000);
    assertThat(deadlines.nextMillis()).isEqualTo(12_000);

    for (int i = 0; i < StartupDeadlines.MEASURED; i++) {
      deadlines.ready(2_000);
    }
    assertThat(deadlines.nextMillis()).as("the 4 s start is no longer among the last eight").isEqualTo(6_000);
  }

  @Test
  void eachExpiryDoublesTheDeadlineUpToEightTimesUntilAContainerIsReady() {
    StartupDeadlines deadlines = new StartupDeadlines(1_000);
    deadlines.expired();
    assertThat(deadlines.nextMillis()).isEqualTo(2_000);
    deadlines.expired();
    deadlines.expired();
    deadlines.expired();
    assertThat(deadlines.nextMillis()).isEqualTo(8_000);

    deadlines.ready(500);

    assertThat(deadlines.nextMillis()).isEqualTo(1_500);
  }
}
