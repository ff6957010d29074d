package dev.shoal.internal.controlplane;

import static dev.shoal.internal.controlplane.CallPhase.CANCELLED;
import static dev.shoal.internal.controlplane.CallPhase.FAILED;
import static dev.shoal.internal.controlplane.CallPhase.PENDING;
import static dev.shoal.internal.controlplane.CallPhase.RUNNING;
import static dev.shoal.internal.controlplane.CallPhase.SUCCEEDED;
import static dev.shoal.internal.controlplane.CallPhase.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.protocol.v1.ResultStatus;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallPhaseTest {
  /** The expected moves, written out independently of the table in CallPhase. */
  private static final Set<String> LEGAL = Set.of(
      "PENDING->RUNNING", "PENDING->FAILED", "PENDING->CANCELLED",
      "RUNNING->RUNNING", "RUNNING->SUCCEEDED", "RUNNING->FAILED", "RUNNING->CANCELLED", "RUNNING->TIMED_OUT");

  @Test
  void everyPairOfPhasesIsLegalExactlyWhenTheTableSaysSo() {
    for (CallPhase from : CallPhase.values()) {
      for (CallPhase to : CallPhase.values()) {
        assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(LEGAL.contains(from + "->" + to));
      }
    }
  }

  @Test
  void terminalPhasesAreExactlyTheOnesWithNoWayOut() {
    assertThat(CallPhase.values()).filteredOn(CallPhase::isTerminal)
        .containsExactlyInAnyOrder(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT);
    assertThat(PENDING.isTerminal()).isFalse();
    assertThat(RUNNING.isTerminal()).isFalse();
  }

  @Test
  void resultsPutCallsInTheirTerminalPhase() {
    assertThat(CallPhase.of(ResultStatus.SUCCESS)).isEqualTo(SUCCEEDED);
    assertThat(CallPhase.of(ResultStatus.FAILURE)).isEqualTo(FAILED);
    assertThat(CallPhase.of(ResultStatus.INIT_FAILURE)).isEqualTo(FAILED);
    assertThat(CallPhase.of(ResultStatus.INTERNAL_FAILURE)).isEqualTo(FAILED);
    assertThat(CallPhase.of(ResultStatus.TIMEOUT)).isEqualTo(TIMED_OUT);
    assertThat(CallPhase.of(ResultStatus.CANCELLED)).isEqualTo(CANCELLED);
    for (ResultStatus s : ResultStatus.values()) {
      if (s != ResultStatus.UNRECOGNIZED && s != ResultStatus.RESULT_STATUS_UNSPECIFIED) {
        assertThat(CallPhase.of(s).isTerminal()).isTrue();
      }
    }
  }
}
