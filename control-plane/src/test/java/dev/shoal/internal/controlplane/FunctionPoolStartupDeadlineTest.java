package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.FakeBackend.FakeContainer;
import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.protocol.v1.ResultStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How long a container may take to start, and whether missing that deadline counts against its function: the
 * rules of {@link FunctionPool} with {@link StartupDeadlines}, on a fake clock.
 */
class FunctionPoolStartupDeadlineTest {
  private static final long TIMEOUT = 1_000;
  private PoolFixture pool;

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void deadlineFollowsHowLongRecentContainersTookToStart() {
    pool = new PoolFixture(4, PoolFixture.function(TIMEOUT, 1));
    String first = pool.call();
    FakeContainer slow = pool.awaitStarted(1);
    pool.clock.advanceMillis(900);
    pool.ready(slow);
    pool.answerAll(slow);
    assertThat(pool.result(first).getStatus()).isEqualTo(ResultStatus.SUCCESS);
    // The container dies; its replacement may take three times the 900 ms its predecessor took.
    slow.exit(new ContainerExit(ContainerExit.Cause.KILLED, 137, "", ""));
    String second = pool.call();
    FakeContainer next = pool.awaitStarted(2);

    pool.clock.advanceMillis(3 * 900);
    pool.tick();
    assertThat(next.wasKilled()).as("within three times the slowest recent start").isFalse();

    pool.clock.advanceMillis(1);
    pool.tick();
    assertThat(next.wasKilled()).isTrue();
    assertThat(pool.answered(second)).as("one missed deadline is not a failed round").isFalse();
  }

  @Test
  void timeWaitingForAPlaceToRunDoesNotCountAgainstTheStartupTimeout() {
    pool = new PoolFixture(4, PoolFixture.function(TIMEOUT, 1));
    String call = pool.call();
    FakeContainer pending = pool.awaitStarted(1);
    pending.awaitingPlatform = true;

    pool.clock.advanceMillis(10 * TIMEOUT);
    pool.tick();
    assertThat(pending.wasKilled()).as("still waiting for a node, ten timeouts later").isFalse();

    pending.awaitingPlatform = false;
    pool.clock.advanceMillis(TIMEOUT);
    pool.tick();
    assertThat(pending.wasKilled()).as("the whole budget from when it got a place").isFalse();
    pool.clock.advanceMillis(1);
    pool.tick();
    assertThat(pending.wasKilled()).isTrue();
    assertThat(pool.answered(call)).isFalse();
  }

  @Test
  void containerPastItsDeadlineWhileOthersStartIsGivenTwiceAsLongRatherThanKilled() {
    pool = new PoolFixture(8, PoolFixture.function(TIMEOUT, 3));
    List<String> calls = List.of(pool.call(), pool.call(), pool.call());
    List<FakeContainer> slow = List.of(pool.awaitStarted(1), pool.awaitStarted(2), pool.awaitStarted(3));

    // A busy machine: three JVMs that start together each take longer than the configured timeout.
    pool.clock.advanceMillis(TIMEOUT + 1);
    pool.tick();
    pool.clock.advanceMillis(TIMEOUT);
    pool.tick();

    assertThat(slow).noneMatch(FakeContainer::wasKilled);
    assertThat(pool.backend.started()).as("nothing was replaced").hasSize(3);
    assertThat(pool.events()).contains("container not ready after 1000 ms while 2 other containers are starting on"
        + " the fake backend; it gets 2000 ms", "container not ready after 2000 ms while 2 other containers are"
        + " starting on the fake backend; it gets 4000 ms");
    for (FakeContainer c : slow) {
      pool.ready(c);
    }
    for (FakeContainer c : slow) {
      pool.answerAll(c);
    }
    assertThat(calls).allSatisfy(c -> assertThat(pool.result(c).getStatus()).isEqualTo(ResultStatus.SUCCESS));
  }

  @Test
  void containersThatNeverStartTogetherAreKilledAndCountedOnceTheirDeadlineReachesItsCeiling() {
    pool = new PoolFixture(8, PoolFixture.function(TIMEOUT, 3));
    List<String> calls = List.of(pool.call(), pool.call(), pool.call());
    List<FakeContainer> hung = List.of(pool.awaitStarted(1), pool.awaitStarted(2), pool.awaitStarted(3));
    ContainerRecord first = pool.record(hung.get(0));

    long ceiling = TIMEOUT + StartupDeadlines.LOAD_ALLOWANCE_MILLIS;
    while (first.startupDeadlineMillis - first.createdAtMillis < ceiling) {
      pool.clock.advanceMillis(first.startupDeadlineMillis + 1 - pool.clock.millis());
      pool.tick();
      assertThat(hung).noneMatch(FakeContainer::wasKilled);
    }
    pool.clock.advanceMillis(first.startupDeadlineMillis + 1 - pool.clock.millis());
    pool.tick();

    assertThat(hung).allMatch(FakeContainer::wasKilled);
    assertThat(calls).allSatisfy(c -> assertThat(pool.result(c).getFailure().getMessage())
        .contains("did not become ready within the startup timeout of 1000 ms, lengthened to 301000 ms"));
  }

  @Test
  void loneContainerThatNeverStartsCountsEachTimeWithTwiceTheDeadlineUntilTheRoundFails() {
    pool = new PoolFixture(4, PoolFixture.function(TIMEOUT, 1));
    String call = pool.call();

    for (int i = 1; i <= 3; i++) {
      FakeContainer hung = pool.awaitStarted(i);
      long deadline = TIMEOUT << (i - 1);
      pool.clock.advanceMillis(deadline);
      pool.tick();
      assertThat(hung.wasKilled()).as("container %d within its deadline of %d ms", i, deadline).isFalse();
      pool.clock.advanceMillis(1);
      pool.tick();
      assertThat(hung.wasKilled()).isTrue();
    }

    assertThat(pool.result(call).getStatus()).isEqualTo(ResultStatus.INIT_FAILURE);
    assertThat(pool.result(call).getFailure().getMessage())
        .contains("did not become ready within the startup timeout of 1000 ms, lengthened to 4000 ms");
  }
}
