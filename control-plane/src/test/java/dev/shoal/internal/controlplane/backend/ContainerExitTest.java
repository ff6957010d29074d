package dev.shoal.internal.controlplane.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainerExitTest {
  @Test
  void processStatusAboveOneHundredTwentyEightIsASignalFromOutsideExceptAJvmsOwnAbort() {
    assertThat(ContainerExit.causeOfProcessStatus(137)).isEqualTo(ContainerExit.Cause.KILLED);
    assertThat(ContainerExit.causeOfProcessStatus(143)).isEqualTo(ContainerExit.Cause.KILLED);
    assertThat(ContainerExit.causeOfProcessStatus(134)).isEqualTo(ContainerExit.Cause.EXITED);
    assertThat(ContainerExit.causeOfProcessStatus(1)).isEqualTo(ContainerExit.Cause.EXITED);
    assertThat(ContainerExit.causeOfProcessStatus(0)).isEqualTo(ContainerExit.Cause.EXITED);
  }

  @Test
  void onlyAnErrorExitOfItsOwnOrAFailedStartIsAFailureOfTheContainersOwn() {
    assertThat(ContainerExit.exited(1, "").failedByItself()).isTrue();
    assertThat(ContainerExit.notStarted("no pod").failedByItself()).isTrue();
    assertThat(ContainerExit.exited(0, "").failedByItself()).isFalse();
    assertThat(ContainerExit.stopped(137, "").failedByItself()).isFalse();
    for (ContainerExit.Cause outside : new ContainerExit.Cause[] {
        ContainerExit.Cause.KILLED, ContainerExit.Cause.OUT_OF_MEMORY, ContainerExit.Cause.EVICTED}) {
      assertThat(new ContainerExit(outside, 137, "", "").failedByItself()).isFalse();
    }
  }
}
