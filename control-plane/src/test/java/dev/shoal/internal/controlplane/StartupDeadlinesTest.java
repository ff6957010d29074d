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
  void afterADeadlineExpiredTheNextContainersGetTwiceItUntilOneIsReady() {
    StartupDeadlines deadlines = new StartupDeadlines(1_000);
    deadlines.expired(1_000);
    deadlines.expired(1_000);
    assertThat(deadlines.nextMillis()).as("expiries of one wave do not compound").isEqualTo(2_000);
    deadlines.expired(2_000);
    assertThat(deadlines.nextMillis()).isEqualTo(4_000);

    deadlines.ready(500);

    assertThat(deadlines.nextMillis()).isEqualTo(1_500);
  }

  @Test
  void noDeadlineGrowsPastItsCeilingOfEightTimesItsBaseOrFiveMinutesMore() {
    StartupDeadlines shortTimeout = new StartupDeadlines(1_000);
    assertThat(shortTimeout.ceilingMillis()).isEqualTo(301_000);
    assertThat(shortTimeout.stretched(200_000)).isEqualTo(301_000);
    shortTimeout.expired(200_000);
    assertThat(shortTimeout.nextMillis()).isEqualTo(301_000);

    assertThat(new StartupDeadlines(60_000).ceilingMillis()).isEqualTo(480_000);
  }
}
