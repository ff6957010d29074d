package dev.shoal.internal.controlplane.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoscalerTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(60);
  private static final int PLENTY = 1_000;

  private final Autoscaler autoscaler = new Autoscaler();

  @Test
  void emptyPoolWithNoWorkAndNoFloorDoesNothing() {
    ScalingDecision decision =
        autoscaler.decide(policy(0, 0, 0, 1), pool(0), T0, PLENTY);

    assertThat(decision).isEqualTo(ScalingDecision.NONE);
    assertThat(decision.isNone()).isTrue();
  }

  @Test
  void queuedInputsStartContainersUpToMax() {
    assertThat(autoscaler.decide(policy(0, 3, 0, 1), pool(2), T0, PLENTY).start()).isEqualTo(2);
    assertThat(autoscaler.decide(policy(0, 3, 0, 1), pool(10), T0, PLENTY).start()).isEqualTo(3);
    // A ready container already holds one of the three slots.
    assertThat(autoscaler.decide(policy(0, 3, 0, 1), pool(10, busy("a", 1)), T0, PLENTY).start())
        .isEqualTo(2);
  }

  @Test
  void noCapMeansDemandAloneDecides() {
    ScalingDecision decision = autoscaler.decide(policy(0, 0, 0, 1), pool(250), T0, PLENTY);

    assertThat(decision).isEqualTo(new ScalingDecision(250, List.of()));
  }

  @Test
  void idleContainerStopsOnlyAfterScaledownWindow() {
    PoolSnapshot pool = pool(0, idle("a", T0));
    ScalingPolicy policy = policy(0, 0, 0, 1);

    assertThat(autoscaler.decide(policy, pool, T0, PLENTY).isNone()).isTrue();
    assertThat(autoscaler.decide(policy, pool, T0.plus(WINDOW).minusNanos(1), PLENTY).isNone())
        .isTrue();
    assertThat(autoscaler.decide(policy, pool, T0.plus(WINDOW), PLENTY))
        .isEqualTo(new ScalingDecision(0, List.of("a")));
    assertThat(autoscaler.decide(policy, pool, T0.plus(WINDOW).plusSeconds(3600), PLENTY).stop())
        .containsExactly("a");
  }

  @Test
  void zeroWindowStopsIdleExtrasImmediately() {
    ScalingPolicy policy = new ScalingPolicy(0, 0, 0, Duration.ZERO, 1);

    assertThat(autoscaler.decide(policy, pool(0, idle("a", T0)), T0, PLENTY).stop())
        .containsExactly("a");
  }

  @Test
  void longestIdleContainerStopsFirst() {
    PoolSnapshot pool =
        pool(
            1,
            idle("recent", T0.plusSeconds(20)),
            idle("oldest", T0),
            idle("middle", T0.plusSeconds(10)));

    // One queued input keeps one container, so two of the three may go, the oldest first.
    ScalingDecision decision =
        autoscaler.decide(policy(0, 0, 0, 1), pool, T0.plusSeconds(3600), PLENTY);

    assertThat(decision.stop()).containsExactly("oldest", "middle");
    assertThat(decision.start()).isZero();
  }

  @Test
  void onlyExpiredContainersStopEvenWhenMoreAreSurplus() {
    PoolSnapshot pool = pool(0, idle("old", T0), idle("fresh", T0.plusSeconds(50)));

    ScalingDecision decision =
        autoscaler.decide(policy(0, 0, 0, 1), pool, T0.plus(WINDOW), PLENTY);

    assertThat(decision.stop()).containsExactly("old");
  }

  @Test
  void minContainersStayWarmWhenIdle() {
    ScalingPolicy policy = policy(2, 0, 0, 1);
    Instant muchLater = T0.plus(Duration.ofDays(1));

    assertThat(autoscaler.decide(policy, pool(0), T0, PLENTY).start()).isEqualTo(2);
    assertThat(autoscaler.decide(policy, pool(0, idle("a", T0), idle("b", T0)), muchLater, PLENTY))
        .isEqualTo(ScalingDecision.NONE);
    assertThat(
            autoscaler
                .decide(
                    policy,
                    pool(0, idle("a", T0), idle("b", T0.plusSeconds(1)), idle("c", T0)),
                    muchLater,
                    PLENTY)
                .stop())
        .containsExactly("a");
  }

  @Test
  void bufferContainersAddedOnlyWhileThereIsWork() {
    ScalingPolicy policy = policy(0, 0, 2, 1);

    // No work: the buffer is not kept, not even as idle capacity.
    assertThat(autoscaler.decide(policy, pool(0), T0, PLENTY).isNone()).isTrue();
    // One queued input needs one container, plus two idle extras.
    assertThat(autoscaler.decide(policy, pool(1), T0, PLENTY).start()).isEqualTo(3);
    // Running inputs count as work too, so the buffer stays while they run.
    PoolSnapshot running = pool(0, busy("a", 1), idle("b", T0), idle("c", T0));
    assertThat(autoscaler.decide(policy, running, T0.plus(Duration.ofHours(1)), PLENTY).isNone())
        .isTrue();
    // Once the work is done, the buffer drains after the window.
    PoolSnapshot drained = pool(0, idle("a", T0), idle("b", T0), idle("c", T0));
    assertThat(autoscaler.decide(policy, drained, T0.plus(WINDOW), PLENTY).stop())
        .containsExactly("a", "b", "c");
  }

  @Test
  void bufferIsCappedByMax() {
    assertThat(autoscaler.decide(policy(0, 4, 3, 1), pool(3), T0, PLENTY).start()).isEqualTo(4);
  }

  @Test
  void machineHeadroomLimitsStarts() {
    ScalingPolicy policy = policy(0, 0, 0, 1);

    assertThat(autoscaler.decide(policy, pool(10), T0, 4).start()).isEqualTo(4);
    assertThat(autoscaler.decide(policy, pool(10), T0, 0)).isEqualTo(ScalingDecision.NONE);
    assertThat(autoscaler.decide(policy, pool(10), T0, -3)).isEqualTo(ScalingDecision.NONE);
    // Headroom also limits starting the warm floor.
    assertThat(autoscaler.decide(policy(5, 0, 0, 1), pool(0), T0, 2).start()).isEqualTo(2);
  }

  @Test
  void startingContainersCountTowardsTheCap() {
    ScalingPolicy policy = policy(0, 3, 0, 1);

    PoolSnapshot twoStarting = pool(10, starting("a"), starting("b"));
    assertThat(autoscaler.decide(policy, twoStarting, T0, PLENTY).start()).isEqualTo(1);
    assertThat(
            autoscaler.decide(
                policy, pool(10, starting("a"), starting("b"), starting("c")), T0, PLENTY))
        .isEqualTo(ScalingDecision.NONE);
  }

  @Test
  void startingContainersAreNeverStopped() {
    PoolSnapshot pool = pool(0, starting("a"), starting("b"));

    assertThat(autoscaler.decide(policy(0, 0, 0, 1), pool, T0.plus(Duration.ofDays(1)), PLENTY))
        .isEqualTo(ScalingDecision.NONE);
    // Not even when the cap has been lowered below them.
    assertThat(autoscaler.decide(policy(0, 1, 0, 1), pool, T0, PLENTY))
        .isEqualTo(ScalingDecision.NONE);
  }

  @Test
  void busyContainersAreNeverStopped() {
    PoolSnapshot pool = pool(0, busy("a", 1), busy("b", 2));

    assertThat(autoscaler.decide(policy(0, 0, 0, 4), pool, T0.plus(Duration.ofDays(1)), PLENTY))
        .isEqualTo(ScalingDecision.NONE);
  }

  @Test
  void concurrencyDividesDemand() {
    ScalingPolicy policy = policy(0, 0, 0, 4);

    assertThat(autoscaler.decide(policy, pool(8), T0, PLENTY).start()).isEqualTo(2);
    assertThat(autoscaler.decide(policy, pool(9), T0, PLENTY).start()).isEqualTo(3);
    // Four running plus five queued inputs need ceil(9 / 4) = 3 containers, one of which exists.
    assertThat(autoscaler.decide(policy, pool(5, busy("a", 4)), T0, PLENTY).start()).isEqualTo(2);
    // Three inputs fit in the one container that runs them, so the idle second one may go.
    assertThat(
            autoscaler
                .decide(policy, pool(0, busy("a", 3), idle("b", T0)), T0.plus(WINDOW), PLENTY)
                .stop())
        .containsExactly("b");
  }

  @Test
  void loweredCapStopsIdleExtrasAtOnce() {
    // The containers went idle just now, far inside the window, yet two must go to honour the cap.
    PoolSnapshot pool =
        pool(
            0,
            idle("a", T0.plusSeconds(3)),
            idle("b", T0),
            idle("c", T0.plusSeconds(2)),
            idle("d", T0.plusSeconds(1)));

    ScalingDecision decision =
        autoscaler.decide(policy(0, 2, 0, 1), pool, T0.plusSeconds(5), PLENTY);

    assertThat(decision.stop()).containsExactly("b", "d");
    assertThat(decision.start()).isZero();
  }

  @Test
  void loweredCapLeavesBusyContainersAlone() {
    PoolSnapshot pool = pool(0, busy("a", 1), busy("b", 1), busy("c", 1), idle("d", T0));

    ScalingDecision decision = autoscaler.decide(policy(0, 2, 0, 1), pool, T0, PLENTY);

    assertThat(decision.stop()).containsExactly("d");
  }

  @Test
  void loweredCapStillStopsExpiredSurplusBeyondTheCapExcess() {
    // Cap 3 forces one stop, but with no work the floor of 1 allows three once their windows pass.
    PoolSnapshot pool = pool(0, idle("a", T0), idle("b", T0), idle("c", T0), idle("d", T0));

    ScalingDecision decision = autoscaler.decide(policy(1, 3, 0, 1), pool, T0.plus(WINDOW), PLENTY);

    assertThat(decision.stop()).containsExactly("a", "b", "c");
  }

  @Test
  void stoppingContainersAreNotLiveAndNeverChosenAgain() {
    PoolSnapshot pool = pool(2, stopping("old", 0), stopping("draining", 5));

    ScalingDecision decision = autoscaler.decide(policy(0, 2, 0, 1), pool, T0, PLENTY);

    // Neither counts as live nor as demand: two queued inputs need two new containers.
    assertThat(decision).isEqualTo(new ScalingDecision(2, List.of()));
  }

  @Test
  void unknownIdleSinceNeverCountsAsExpired() {
    PoolSnapshot pool = pool(0, new ContainerView("a", ContainerPhase.READY, 0, null));

    assertThat(autoscaler.decide(policy(0, 0, 0, 1), pool, T0.plus(Duration.ofDays(1)), PLENTY))
        .isEqualTo(ScalingDecision.NONE);
    // The cap still wins over an unknown idle time.
    PoolSnapshot overCap =
        pool(0, idle("b", T0), new ContainerView("a", ContainerPhase.READY, 0, null));
    assertThat(autoscaler.decide(policy(0, 1, 0, 1), overCap, T0, PLENTY).stop())
        .containsExactly("b");
  }

  @Test
  void nextDeadlineIsTheEarliestWindowEndWhileThePoolIsTooLarge() {
    PoolSnapshot pool =
        pool(0, idle("a", T0.plusSeconds(30)), idle("b", T0.plusSeconds(10)), busy("c", 1));

    assertThat(autoscaler.nextDeadline(policy(0, 0, 0, 1), pool))
        .contains(T0.plusSeconds(10).plus(WINDOW));
  }

  @Test
  void nextDeadlineIsEmptyWhenNothingCouldBeStopped() {
    // At the floor: idle containers stay however long they idle.
    assertThat(
            autoscaler.nextDeadline(policy(2, 0, 0, 1), pool(0, idle("a", T0), idle("b", T0))))
        .isEmpty();
    // Too large, but every container is busy or starting, so only an event can change things.
    assertThat(
            autoscaler.nextDeadline(policy(0, 0, 0, 4), pool(0, busy("a", 1), starting("b"))))
        .isEmpty();
    // Idle containers whose idle time is unknown have no deadline.
    assertThat(
            autoscaler.nextDeadline(
                policy(0, 0, 0, 1), pool(0, new ContainerView("a", ContainerPhase.READY, 0, null))))
        .isEmpty();
  }

  @Test
  void nextDeadlineMatchesWhenDecideStartsStopping() {
    ScalingPolicy policy = policy(0, 0, 0, 1);
    PoolSnapshot pool = pool(0, idle("a", T0.plusSeconds(7)));

    Instant deadline = autoscaler.nextDeadline(policy, pool).orElseThrow();

    assertThat(autoscaler.decide(policy, pool, deadline.minusNanos(1), PLENTY).isNone()).isTrue();
    assertThat(autoscaler.decide(policy, pool, deadline, PLENTY).stop()).containsExactly("a");
  }

  @Test
  void nextDeadlineSaturatesInsteadOfOverflowing() {
    ScalingPolicy policy = new ScalingPolicy(0, 0, 0, Duration.ofSeconds(Long.MAX_VALUE), 1);

    assertThat(autoscaler.nextDeadline(policy, pool(0, idle("a", T0)))).contains(Instant.MAX);
    assertThat(autoscaler.decide(policy, pool(0, idle("a", T0)), Instant.MAX, PLENTY).isNone())
        .isTrue();
  }

  private static ScalingPolicy policy(int min, int max, int buffer, int concurrency) {
    return new ScalingPolicy(min, max, buffer, WINDOW, concurrency);
  }

  private static PoolSnapshot pool(int queued, ContainerView... containers) {
    return new PoolSnapshot(queued, List.of(containers));
  }

  private static ContainerView idle(String id, Instant idleSince) {
    return new ContainerView(id, ContainerPhase.READY, 0, idleSince);
  }

  private static ContainerView busy(String id, int activeInputs) {
    return new ContainerView(id, ContainerPhase.READY, activeInputs, null);
  }

  private static ContainerView starting(String id) {
    return new ContainerView(id, ContainerPhase.STARTING, 0, null);
  }

  private static ContainerView stopping(String id, int activeInputs) {
    return new ContainerView(id, ContainerPhase.STOPPING, activeInputs, T0);
  }
}
