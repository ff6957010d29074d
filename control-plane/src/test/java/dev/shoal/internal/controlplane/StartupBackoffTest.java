package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupBackoffTest {
  @Test
  void threeFailuresInARowEndARoundAndHoldOffStartsForTheBackoff() {
    StartupBackoff backoff = new StartupBackoff();
    assertThat(backoff.failed(0)).isFalse();
    assertThat(backoff.failed(10)).isFalse();
    assertThat(backoff.mayStart(10)).as("within a round, failed containers are replaced at once").isTrue();

    assertThat(backoff.failed(20)).isTrue();

    assertThat(backoff.mayStart(20 + StartupBackoff.FIRST_BACKOFF_MILLIS - 1)).isFalse();
    assertThat(backoff.mayStart(20 + StartupBackoff.FIRST_BACKOFF_MILLIS)).isTrue();
  }

  @Test
  void backoffDoublesWithEachFailedRoundInARowUpToItsCap() {
    assertThat(StartupBackoff.backoffMillis(1)).isEqualTo(1_000);
    assertThat(StartupBackoff.backoffMillis(2)).isEqualTo(2_000);
    assertThat(StartupBackoff.backoffMillis(5)).isEqualTo(16_000);
    assertThat(StartupBackoff.backoffMillis(6)).isEqualTo(StartupBackoff.MAX_BACKOFF_MILLIS);
    assertThat(StartupBackoff.backoffMillis(1_000)).isEqualTo(StartupBackoff.MAX_BACKOFF_MILLIS);
  }

  @Test
  void aReadyContainerForgetsEveryFailureAndEveryRound() {
    StartupBackoff backoff = new StartupBackoff();
    for (int i = 0; i < 2 * StartupBackoff.ROUND; i++) {
      backoff.failed(0);
    }
    assertThat(backoff.retryAtMillis()).isEqualTo(2_000);

    backoff.succeeded();

    assertThat(backoff.mayStart(0)).isTrue();
    backoff.failed(0);
    backoff.failed(0);
    assertThat(backoff.failed(0)).isTrue();
    assertThat(backoff.retryAtMillis()).as("the first backoff again").isEqualTo(1_000);
  }
}
