package dev.shoal.internal.controlplane.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-style tests that check the autoscaler's invariants over many random pools.
 *
 * <p>The seed is fixed so that a failure reproduces exactly; the iteration number is part of every
 * assertion message so that the failing case can be found again.
 */
class AutoscalerPropertyTest {

  private static final long SEED = 0x5A0A1L;
  private static final int ITERATIONS = 20_000;
  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  private final Autoscaler autoscaler = new Autoscaler();

  @Test
  void decisionsRespectTheInvariantsOnRandomPools() {
    Random random = new Random(SEED);
    for (int i = 0; i < ITERATIONS; i++) {
      ScalingPolicy policy = randomPolicy(random);
      PoolSnapshot pool = randomPool(random, policy);
      int headroom = random.nextInt(-2, 11);
      String context = "iteration " + i + ": " + policy + ", " + pool + ", headroom " + headroom;

      ScalingDecision decision = autoscaler.decide(policy, pool, NOW, headroom);

      checkDecision(policy, pool, headroom, decision, NOW, context);
    }
  }

  @Test
  void nextDeadlineMarksExactlyWhenTheFirstTimedStopBecomesDue() {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < ITERATIONS; i++) {
      ScalingPolicy policy = randomPolicy(random);
      PoolSnapshot pool = randomPool(random, policy);
      String context = "iteration " + i + ": " + policy + ", " + pool;
      // Over the cap, stops are due regardless of time, so deadlines only describe the rest.
      if (policy.hasCap() && live(pool) > policy.maxContainers()) {
        continue;
      }

      Optional<Instant> deadline = autoscaler.nextDeadline(policy, pool);

      if (deadline.isEmpty()) {
        Instant muchLater = NOW.plus(Duration.ofDays(365));
        assertThat(autoscaler.decide(policy, pool, muchLater, 0).stop()).as(context).isEmpty();
      } else {
        Instant due = deadline.get();
        assertThat(autoscaler.decide(policy, pool, due.minusNanos(1), 0).stop())
            .as(context)
            .isEmpty();
        assertThat(autoscaler.decide(policy, pool, due, 0).stop()).as(context).isNotEmpty();
      }
    }
  }

  private static void checkDecision(
      ScalingPolicy policy,
      PoolSnapshot pool,
      int headroom,
      ScalingDecision decision,
      Instant now,
      String context) {
    int live = live(pool);
    int start = decision.start();
    List<String> stop = decision.stop();

    assertThat(start).as(context).isBetween(0, Math.max(0, headroom));
    if (policy.hasCap()) {
      // A pool already over a lowered cap cannot start anything, so it only stays where it is.
      assertThat(live + start)
          .as(context)
          .isLessThanOrEqualTo(Math.max(policy.maxContainers(), live));
      if (start > 0) {
        assertThat(live + start).as(context).isLessThanOrEqualTo(policy.maxContainers());
      }
    }
    assertThat(start > 0 && !stop.isEmpty()).as(context + ": starts and stops at once").isFalse();

    assertThat(stop).as(context).doesNotHaveDuplicates();
    Map<String, ContainerView> byId = new HashMap<>();
    for (ContainerView container : pool.containers()) {
      byId.put(container.id(), container);
    }
    boolean overCap = policy.hasCap() && live > policy.maxContainers();
    for (String id : stop) {
      ContainerView container = byId.get(id);
      assertThat(container).as(context + ": stops unknown " + id).isNotNull();
      assertThat(container.phase()).as(context + ": stops " + id).isEqualTo(ContainerPhase.READY);
      assertThat(container.activeInputs()).as(context + ": stops busy " + id).isZero();
      if (!overCap) {
        assertThat(container.idleSince()).as(context + ": stops " + id).isNotNull();
        assertThat(Duration.between(container.idleSince(), now))
            .as(context + ": stops " + id + " inside its window")
            .isGreaterThanOrEqualTo(policy.scaledownWindow());
      }
    }
    // A pool that starts below the floor stops nothing, so the floor is only checked after stops.
    if (!stop.isEmpty()) {
      assertThat(live - stop.size())
          .as(context + ": stops below the floor")
          .isGreaterThanOrEqualTo(policy.minContainers());
    }
    if (overCap) {
      long idleReady = pool.containers().stream().filter(ContainerView::isIdleReady).count();
      assertThat(stop.size())
          .as(context + ": leaves idle containers over the cap")
          .isGreaterThanOrEqualTo((int) Math.min(idleReady, live - policy.maxContainers()));
    }
    // With enough headroom the warm floor is always reached in one decision.
    if (headroom >= policy.minContainers() && live < policy.minContainers()) {
      assertThat(live + start).as(context).isGreaterThanOrEqualTo(policy.minContainers());
    }
  }

  private static ScalingPolicy randomPolicy(Random random) {
    int min = random.nextInt(0, 5);
    int max = random.nextInt(10) < 3 ? 0 : random.nextInt(Math.max(min, 1), min + 7);
    int buffer = random.nextInt(0, 4);
    Duration window = Duration.ofSeconds(random.nextInt(0, 121));
    int concurrency = random.nextInt(1, 5);
    return new ScalingPolicy(min, max, buffer, window, concurrency);
  }

  private static PoolSnapshot randomPool(Random random, ScalingPolicy policy) {
    int count = random.nextInt(0, 13);
    List<ContainerView> containers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      containers.add(randomContainer(random, "c" + i, policy.maxConcurrentInputs()));
    }
    return new PoolSnapshot(random.nextInt(0, 21), containers);
  }

  private static ContainerView randomContainer(Random random, String id, int concurrency) {
    ContainerPhase phase = ContainerPhase.values()[random.nextInt(ContainerPhase.values().length)];
    int activeInputs =
        switch (phase) {
          case STARTING -> 0;
          case READY -> random.nextBoolean() ? 0 : random.nextInt(1, concurrency + 1);
          case STOPPING -> random.nextInt(0, concurrency + 1);
        };
    // Idle times straddle the largest window, and a few are unknown, to exercise every branch.
    Instant idleSince =
        random.nextInt(10) == 0 ? null : NOW.minusSeconds(random.nextInt(0, 301));
    return new ContainerView(id, phase, activeInputs, idleSince);
  }

  private static int live(PoolSnapshot pool) {
    return (int) pool.containers().stream().filter(ContainerView::isLive).count();
  }
}
