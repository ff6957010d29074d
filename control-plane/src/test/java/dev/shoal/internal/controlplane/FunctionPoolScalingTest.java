package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.FakeBackend.FakeContainer;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What one pool's autoscaler starts and stops, on a fake clock and scheduler. */
class FunctionPoolScalingTest {
  private PoolFixture pool;

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void backlogStartsContainersUpToMaxContainersAndNoMore() {
    pool = new PoolFixture(16, PoolFixture.function(60_000, 3));
    List<String> calls = IntStream.range(0, 10).mapToObj(i -> pool.call()).toList();

    pool.awaitStarted(3);
    pool.scheduler.advanceMillis(10 * ControlPlane.TICK_MILLIS);

    assertThat(pool.backend.started()).hasSize(3);
    assertThat(pool.controlPlane.functionStats(pool.functionId).queuedInputs()).isEqualTo(calls.size());
  }

  @Test
  void backlogStartsNoMoreContainersThanTheBackendHasRoomFor() {
    pool = new PoolFixture(2, PoolFixture.function(60_000, 8));
    IntStream.range(0, 10).forEach(i -> pool.call());

    pool.awaitStarted(2);
    pool.scheduler.advanceMillis(10 * ControlPlane.TICK_MILLIS);

    assertThat(pool.backend.started()).hasSize(2);
  }

  @Test
  void idleContainerIsAskedToStopOnceItOutlivesTheScaledownWindow() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1).setScaledownWindowMs(60_000));
    pool.call();
    FakeContainer c = pool.awaitStarted(1);
    pool.ready(c);
    pool.answerAll(c);

    // The container keeps sending heartbeats, as a live one does every 2 s.
    for (int s = 0; s < 59; s++) {
      pool.scheduler.advanceMillis(1_000);
      pool.heartbeat(c);
    }
    pool.scheduler.advanceMillis(999);
    assertThat(pool.shutdownAsked(c)).as("idle for 59.999 s of a 60 s window").isFalse();
    pool.scheduler.advanceMillis(1);

    assertThat(pool.shutdownAsked(c)).isTrue();
    assertThat(c.wasKilled()).as("a ready container is asked, not killed").isFalse();
  }

  @Test
  void minContainersStayWarmWithoutWork() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 4).setMinContainers(2).setScaledownWindowMs(1_000));

    List<FakeContainer> warm = List.of(pool.awaitStarted(1), pool.awaitStarted(2));
    warm.forEach(pool::ready);
    for (int s = 0; s < 10; s++) {
      pool.scheduler.advanceMillis(1_000);
      warm.forEach(pool::heartbeat);
    }

    assertThat(pool.backend.started()).hasSize(2);
    assertThat(warm).noneMatch(pool::shutdownAsked);
  }
}
