package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.FakeBackend.FakeContainer;
import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.protocol.v1.ResultStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leases, timeouts and cancellation in one pool, on a fake clock and scheduler, with containers whose part the test
 * plays: every timer runs when the test moves the clock, so each rule is checked at the exact time it applies.
 */
class FunctionPoolLeaseTest {
  private PoolFixture pool;

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void inputOfAContainerThatDiesIsLeasedToItsReplacementWithoutUsingAnAttempt() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1));
    String call = pool.call();
    FakeContainer first = pool.awaitStarted(1);
    pool.ready(first);
    String inputId = pool.sentTo(first).getFirst().inputId();

    pool.streamEnds(first);
    first.exit(new ContainerExit(ContainerExit.Cause.KILLED, 137, "killed by SIGKILL", ""));

    FakeContainer second = pool.awaitStarted(2);
    pool.ready(second);
    assertThat(pool.sentTo(second)).singleElement().satisfies(lease -> {
      assertThat(lease.inputId()).isEqualTo(inputId);
      assertThat(lease.attempt()).as("a lost lease is not a failed attempt").isEqualTo(1);
    });
    pool.answerAll(second);
    assertThat(pool.result(call).getStatus()).isEqualTo(ResultStatus.SUCCESS);
  }

  @Test
  void readyContainerSilentPastTheHeartbeatTimeoutIsKilledAndItsInputLeasedAgain() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1));
    String call = pool.call();
    FakeContainer silent = pool.awaitStarted(1);
    pool.ready(silent);

    pool.scheduler.advanceMillis(FunctionPool.HEARTBEAT_TIMEOUT_MILLIS);
    assertThat(silent.wasKilled()).as("silent for exactly the timeout").isFalse();
    pool.scheduler.advanceMillis(ControlPlane.TICK_MILLIS);
    assertThat(silent.wasKilled()).isTrue();

    FakeContainer next = pool.awaitStarted(2);
    pool.ready(next);
    pool.answerAll(next);
    assertThat(pool.result(call).getStatus()).isEqualTo(ResultStatus.SUCCESS);
  }

  @Test
  void inputPastItsTimeoutFailsWithATimeoutAtTheNextTickAndItsContainerIsKilled() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1).setTimeoutMs(5_000));
    String call = pool.call();
    FakeContainer c = pool.awaitStarted(1);
    pool.ready(c);

    pool.scheduler.advanceMillis(5_099);
    assertThat(pool.answered(call)).as("a tick at 5 000 ms finds it at its timeout, not past it").isFalse();
    pool.scheduler.advanceMillis(1);

    assertThat(pool.result(call).getStatus()).isEqualTo(ResultStatus.TIMEOUT);
    assertThat(pool.result(call).getFailure().getMessage()).contains("timed out after 5000 ms");
    assertThat(c.wasKilled()).as("Java cannot stop the thread; the container goes").isTrue();
  }

  @Test
  void cancelledCallIsAnsweredCancelledAndItsQueuedInputNeverReachesAContainer() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1));
    String running = pool.call();
    String queued = pool.call();
    FakeContainer c = pool.awaitStarted(1);
    pool.ready(c);
    assertThat(pool.sentTo(c)).hasSize(1);

    pool.controlPlane.cancelCall(queued, false);

    assertThat(pool.result(queued).getStatus()).isEqualTo(ResultStatus.CANCELLED);
    pool.answerAll(c);
    assertThat(pool.result(running).getStatus()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(pool.sentTo(c)).as("the cancelled input is skipped where it stood in the queue").isEmpty();
  }

  @Test
  void cancellingARunningCallTellsItsContainerAndTheContainerTakesTheNextInputOnceItAnswers() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1).setRetryPolicy(
        dev.shoal.protocol.v1.RetryPolicy.newBuilder().setMaxRetries(3).setInitialDelayMs(1_000)
            .setBackoffCoefficient(1).setMaxDelayMs(1_000)));
    String running = pool.call();
    String next = pool.call();
    FakeContainer c = pool.awaitStarted(1);
    pool.ready(c);
    String inputId = pool.sentTo(c).getFirst().inputId();

    pool.controlPlane.cancelCall(running, false);

    assertThat(pool.result(running).getStatus()).as("the caller hears at once").isEqualTo(ResultStatus.CANCELLED);
    assertThat(pool.cancelledIn(c)).containsExactly(inputId);
    assertThat(pool.sentTo(c)).as("the lease holds until the container has stopped the input").hasSize(1);

    pool.answerCancelled(c, inputId);

    assertThat(pool.sentTo(c)).singleElement().satisfies(lease -> assertThat(lease.callId()).isEqualTo(next));
    pool.scheduler.advanceMillis(FunctionPool.CANCEL_GRACE_MILLIS * 2);
    assertThat(c.wasKilled()).isFalse();
    assertThat(pool.result(running).getStatus()).as("a cancelled input is not retried")
        .isEqualTo(ResultStatus.CANCELLED);
  }

  @Test
  void containerStillRunningACancelledInputAfterTheGracePeriodIsReplaced() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1));
    String running = pool.call();
    String next = pool.call();
    FakeContainer stuck = pool.awaitStarted(1);
    pool.ready(stuck);

    pool.controlPlane.cancelCall(running, false);
    pool.heartbeat(stuck);
    pool.scheduler.advanceMillis(FunctionPool.CANCEL_GRACE_MILLIS);
    assertThat(stuck.wasKilled()).as("still within the grace period").isFalse();
    pool.scheduler.advanceMillis(ControlPlane.TICK_MILLIS);
    assertThat(stuck.wasKilled()).isTrue();
    assertThat(pool.events()).anyMatch(e -> e.contains("was still running 5000 ms after its call was cancelled"));

    FakeContainer replacement = pool.awaitStarted(2);
    pool.ready(replacement);
    assertThat(pool.sentTo(replacement)).singleElement().satisfies(lease -> {
      assertThat(lease.callId()).isEqualTo(next);
      assertThat(lease.attempt()).isEqualTo(1);
    });
    assertThat(pool.result(running).getStatus()).isEqualTo(ResultStatus.CANCELLED);
  }

  @Test
  void everyFailedAttemptIsLoggedWithItsCallAttemptAndWhatHappensNext() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1).setRetryPolicy(
        dev.shoal.protocol.v1.RetryPolicy.newBuilder().setMaxRetries(1).setInitialDelayMs(1_000)
            .setBackoffCoefficient(1).setMaxDelayMs(1_000)));
    String call = pool.call();
    FakeContainer c = pool.awaitStarted(1);
    pool.ready(c);

    pool.failAll(c);
    pool.scheduler.advanceMillis(1_000);
    pool.failAll(c);

    assertThat(pool.result(call).getStatus()).isEqualTo(ResultStatus.FAILURE);
    assertThat(pool.events()).filteredOn(e -> e.contains(" failed on attempt ")).containsExactly(
        "input " + call + " of call " + call + " failed on attempt 1 (retrying in 1000 ms):"
            + " java.lang.IllegalStateException: no",
        "input " + call + " of call " + call + " failed on attempt 2 (no retries left):"
            + " java.lang.IllegalStateException: no");
  }

  @Test
  void cancellingWithTerminateContainersKillsTheContainerRunningTheCall() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1));
    String call = pool.call();
    FakeContainer c = pool.awaitStarted(1);
    pool.ready(c);

    pool.controlPlane.cancelCall(call, true);

    assertThat(c.wasKilled()).isTrue();
    assertThat(pool.result(call).getStatus()).isEqualTo(ResultStatus.CANCELLED);
  }
}
