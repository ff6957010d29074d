package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.internal.controlplane.FakeBackend.FakeContainer;
import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.protocol.v1.ResultStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What counts as a failure to start, and what such failures lead to: the rules of {@link FunctionPool} with
 * {@link StartupBackoff}, on a fake clock, with containers whose part the test plays.
 */
class FunctionPoolTest {
  private static final long STARTUP_TIMEOUT = 60_000;
  private PoolFixture pool;

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void containersKilledOomKilledOrEvictedWhileStartingAreReplacedWithoutFailingTheFunction() {
    pool = new PoolFixture(4, PoolFixture.function(STARTUP_TIMEOUT, 1));
    String call = pool.call();
    List<ContainerExit> ends = List.of(
        new ContainerExit(ContainerExit.Cause.KILLED, 137, "killed by SIGKILL", ""),
        new ContainerExit(ContainerExit.Cause.OUT_OF_MEMORY, 137, "OOMKilled", ""),
        new ContainerExit(ContainerExit.Cause.EVICTED, -1, "Evicted", ""),
        new ContainerExit(ContainerExit.Cause.KILLED, 137, "killed by SIGKILL", ""),
        ContainerExit.stopped(137, "its stream ended and it did not exit"));

    for (int i = 0; i < ends.size(); i++) {
      FakeContainer starting = pool.awaitStarted(i + 1);
      if (i % 2 == 0) {
        // Killed while it loads the app: its stream ends first, and its backend tells how it ended later.
        pool.hello(starting);
        pool.streamEnds(starting);
      }
      starting.exit(ends.get(i));
    }

    FakeContainer survivor = pool.awaitStarted(ends.size() + 1);
    assertThat(pool.answered(call)).as("no start-up failure was counted").isFalse();
    pool.ready(survivor);
    pool.answerAll(survivor);
    assertThat(pool.result(call).getStatus()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(pool.events()).contains(
        "container was killed from outside with exit code 137: killed by SIGKILL, while starting; it is replaced",
        "container crashed with exit code 137: OOMKilled, while starting; it is replaced");
  }

  @Test
  void appThatCannotLoadFailsTheWaitingInputsWithItsReasonAfterThreeAttempts() {
    pool = new PoolFixture(4, PoolFixture.function(STARTUP_TIMEOUT, 1));
    String call = pool.call();

    failToLoad(1, 3);

    await().atMost(Duration.ofSeconds(10)).until(() -> pool.answered(call));
    assertThat(pool.result(call).getStatus()).isEqualTo(ResultStatus.INIT_FAILURE);
    assertThat(pool.result(call).getFailure().getMessage())
        .contains("containers of function f failed to start")
        .contains("BrokenApp refuses to load");
    pool.tick();
    assertThat(pool.backend.started()).as("no container starts during the backoff").hasSize(3);
  }

  @Test
  void startingContainerWhoseStreamEndsIsJudgedByHowItsBackendSaysItEnded() {
    pool = new PoolFixture(4, PoolFixture.function(STARTUP_TIMEOUT, 1));
    String call = pool.call();

    for (int i = 1; i <= 3; i++) {
      FakeContainer starting = pool.awaitStarted(i);
      pool.hello(starting);
      pool.streamEnds(starting);
      assertThat(pool.answered(call)).as("nothing is known of container %d until its backend reports", i).isFalse();
      starting.exit(ContainerExit.exited(1, "its output ended with:\nException in thread main: no such class"));
    }

    assertThat(pool.answered(call)).isTrue();
    assertThat(pool.result(call).getStatus()).isEqualTo(ResultStatus.INIT_FAILURE);
    assertThat(pool.result(call).getFailure().getMessage())
        .contains("exited with code 1 before it was ready")
        .contains("no such class");
  }

  @Test
  void functionThatFailedToStartTriesAgainForTheNextInputAfterABackoff() {
    pool = new PoolFixture(4, PoolFixture.function(STARTUP_TIMEOUT, 1));
    String first = pool.call();
    failToLoad(1, 3);
    assertThat(pool.result(first).getStatus()).isEqualTo(ResultStatus.INIT_FAILURE);

    String second = pool.call();
    pool.clock.advanceMillis(StartupBackoff.FIRST_BACKOFF_MILLIS - 1);
    pool.tick();
    assertThat(pool.backend.started()).as("the backoff has not passed").hasSize(3);
    assertThat(pool.answered(second)).as("the input waits for the backoff rather than failing").isFalse();

    pool.clock.advanceMillis(1);
    pool.tick();
    FakeContainer healed = pool.awaitStarted(4);
    pool.ready(healed);
    pool.answerAll(healed);
    assertThat(pool.result(second).getStatus()).isEqualTo(ResultStatus.SUCCESS);
  }

  @Test
  void eachFailedRoundInARowWaitsTwiceAsLongAndAReadyContainerForgetsThem() {
    pool = new PoolFixture(4, PoolFixture.function(STARTUP_TIMEOUT, 1));
    pool.call();
    failToLoad(1, 3);

    String second = pool.call();
    pool.clock.advanceMillis(StartupBackoff.FIRST_BACKOFF_MILLIS);
    pool.tick();
    failToLoad(4, 6);
    assertThat(pool.result(second).getStatus()).isEqualTo(ResultStatus.INIT_FAILURE);

    String third = pool.call();
    pool.clock.advanceMillis(2 * StartupBackoff.FIRST_BACKOFF_MILLIS - 1);
    pool.tick();
    assertThat(pool.backend.started()).as("the second backoff is twice the first").hasSize(6);
    pool.clock.advanceMillis(1);
    pool.tick();
    FakeContainer healed = pool.awaitStarted(7);
    pool.ready(healed);
    pool.answerAll(healed);
    assertThat(pool.result(third).getStatus()).isEqualTo(ResultStatus.SUCCESS);

    // The code loads now: a failure after that starts counting afresh, and the next backoff is the first again.
    healed.exit(new ContainerExit(ContainerExit.Cause.KILLED, 137, "", ""));
    pool.streamEnds(healed);
    String fourth = pool.call();
    failToLoad(8, 10);
    assertThat(pool.result(fourth).getStatus()).isEqualTo(ResultStatus.INIT_FAILURE);
    String fifth = pool.call();
    pool.clock.advanceMillis(StartupBackoff.FIRST_BACKOFF_MILLIS);
    pool.tick();
    pool.awaitStarted(11);
    assertThat(pool.answered(fifth)).isFalse();
  }

  @Test
  void waitingInputsStayQueuedWhileAReadyContainerCanServeThem() {
    pool = new PoolFixture(8, PoolFixture.function(STARTUP_TIMEOUT, 4));
    List<String> calls = List.of(pool.call(), pool.call(), pool.call());
    FakeContainer ready = pool.awaitStarted(1);
    pool.ready(ready);
    // The other inputs made the pool start more containers, and those cannot load the app (a passing fault).
    for (int i = 2; i <= 4; i++) {
      FakeContainer failing = pool.awaitStarted(i);
      pool.reportStartupFailed(failing, "the disk was full");
      pool.streamEnds(failing);
      failing.exit(ContainerExit.exited(3, ""));
    }

    for (int served = 0; served < calls.size(); served++) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !pool.sentTo(ready).isEmpty());
      pool.answerAll(ready);
    }
    assertThat(calls).allSatisfy(c -> assertThat(pool.result(c).getStatus()).isEqualTo(ResultStatus.SUCCESS));
  }

  @Test
  void containerTheBackendCouldNotStartCountsAsAFailureToStart() {
    pool = new PoolFixture(4, PoolFixture.function(STARTUP_TIMEOUT, 1));
    String call = pool.call();
    for (int i = 1; i <= 3; i++) {
      pool.awaitStarted(i).exit(ContainerExit.notStarted("cannot create pod: the API server is unreachable"));
    }
    assertThat(pool.result(call).getStatus()).isEqualTo(ResultStatus.INIT_FAILURE);
    assertThat(pool.result(call).getFailure().getMessage()).contains("the API server is unreachable");
  }

  /** Containers {@code from}..{@code to} (counting from 1) report that the app cannot load, and end. */
  private void failToLoad(int from, int to) {
    for (int i = from; i <= to; i++) {
      FakeContainer starting = pool.awaitStarted(i);
      pool.reportStartupFailed(starting, "BrokenApp refuses to load in a container");
      pool.streamEnds(starting);
      starting.exit(ContainerExit.exited(3, ""));
    }
  }
}
