package dev.shoal.internal.controlplane.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The policy that decides how many containers a function pool should start or stop.
 *
 * <p>The autoscaler is pure: it does no I/O, takes no locks and reads no clock of its own. All time
 * comes in as an argument, so the same inputs always produce the same decision. It keeps no state
 * between calls either, so one instance may be shared by every pool and every thread.
 */
public final class Autoscaler {

  /*
   * The rules, which follow Modal's semantics.
   *
   * 1. Live containers. A container in STOPPING has already been told to go away, so it does not
   *    count as live, its inputs do not count as demand, and it is never chosen again. STARTING
   *    and READY containers are live. STARTING ones count towards the cap because they will occupy
   *    a slot as soon as they are up; ignoring them would overshoot the cap on every tick while
   *    containers boot.
   *
   * 2. Demand. demand = ceil((queued + sum of activeInputs of live containers)
   *    / targetConcurrentInputs), the number of containers needed to run all the work there is right
   *    now with every container at its target. Containers still take up to maxConcurrentInputs, which
   *    is what lets a pool at its cap absorb more than the target.
   *
   * 3. Desired size. desired = demand > 0 ? demand + bufferContainers : 0, so the buffer of idle
   *    extras exists only while the function has work; an idle function has no use for spare
   *    capacity. Then desired = max(desired, minContainers), because the floor stays warm even when
   *    idle. Finally desired is capped by maxContainers when that is > 0, because the cap is
   *    hard. The policy guarantees maxContainers >= minContainers, so the cap never undercuts the
   *    floor.
   *
   * 4. Starts. start = max(0, desired - live), further limited by machineHeadroom, which is how
   *    many more containers the backend can start right now across all functions. A negative
   *    headroom is treated as zero. Because desired never exceeds the cap, live + start never does
   *    either unless the pool was already over it, in which case start is 0.
   *
   * 5. Stops. Containers are stopped only when live > desired, and at most live - desired of them,
   *    so a pool never shrinks below desired and therefore never below minContainers. Candidates
   *    are READY containers with activeInputs == 0: a busy container would lose work, and a
   *    STARTING one has never been given the chance to be useful. Among the candidates, those idle
   *    for at least scaledownWindow (now - idleSince >= scaledownWindow) may stop, longest idle
   *    first, so that the most recently used containers, which are the warmest, are kept.
   *
   * 6. Lowered cap. When the cap has been lowered below the live count, the pool is in breach of a
   *    hard limit, so idle candidates stop at once regardless of the window: up to live -
   *    maxContainers of them, again longest idle first. Busy containers are still left alone; they
   *    are stopped on a later decision once their inputs finish.
   *
   * 7. Deadlines. With no new event (no input arriving or finishing, no container changing phase),
   *    the only thing that changes a decision is time passing an idle container's window. The next
   *    deadline is therefore the earliest idleSince + scaledownWindow among idle READY containers,
   *    and only while live > desired, because otherwise no container could be stopped anyway.
   *
   * A container whose idleSince is unknown (null) never counts as having outlived its window, and
   * it sorts after every container with a known idleSince. Treating unknown as "just went idle" is
   * the safe choice: the worst outcome is a container kept a little longer than necessary.
   */

  /** Orders stop candidates longest idle first, with ids breaking ties for determinism. */
  private static final Comparator<ContainerView> LONGEST_IDLE_FIRST =
      Comparator.comparing(
              ContainerView::idleSince, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
          .thenComparing(ContainerView::id);

  /** Creates an autoscaler; it holds no state, so one instance may serve every pool. */
  public Autoscaler() {}

  /**
   * Decides what to start and stop in one pool at the given instant.
   *
   * @param policy the pool's scaling settings
   * @param pool the pool's current state
   * @param now the current time, supplied by the caller
   * @param machineHeadroom how many more containers the backend may start right now, across all
   *     functions
   * @return the containers to start and stop, or {@link ScalingDecision#NONE}
   */
  public ScalingDecision decide(
      ScalingPolicy policy, PoolSnapshot pool, Instant now, int machineHeadroom) {
    int live = liveCount(pool);
    int desired = desired(policy, pool);

    if (live < desired) {
      int start = Math.min(desired - live, Math.max(0, machineHeadroom));
      return start == 0 ? ScalingDecision.NONE : new ScalingDecision(start, List.of());
    }
    if (live == desired) {
      return ScalingDecision.NONE;
    }

    List<ContainerView> candidates = idleCandidates(pool);
    int expired = 0;
    // The candidates are sorted longest idle first, so the expired ones form a prefix of the list.
    while (expired < candidates.size() && hasOutlivedWindow(candidates.get(expired), policy, now)) {
      expired++;
    }
    int overCap = policy.hasCap() ? Math.max(0, live - policy.maxContainers()) : 0;
    int stopCount =
        Math.min(live - desired, Math.min(candidates.size(), Math.max(expired, overCap)));
    if (stopCount == 0) {
      return ScalingDecision.NONE;
    }
    List<String> stop = new ArrayList<>(stopCount);
    for (int i = 0; i < stopCount; i++) {
      stop.add(candidates.get(i).id());
    }
    return new ScalingDecision(0, stop);
  }

  /**
   * Returns when the next decision could differ with no new event, or empty if it could not.
   *
   * <p>The answer is the moment the earliest idle container outlives its scale-down window, and it
   * is present only while the pool is larger than it needs to be. It may lie in the past, which
   * means a stop is already due and the caller should decide now.
   *
   * @param policy the pool's scaling settings
   * @param pool the pool's current state
   * @return the instant of the next time-driven change, or empty
   */
  public Optional<Instant> nextDeadline(ScalingPolicy policy, PoolSnapshot pool) {
    if (liveCount(pool) <= desired(policy, pool)) {
      return Optional.empty();
    }
    return idleCandidates(pool).stream()
        .filter(container -> container.idleSince() != null)
        .findFirst()
        .map(container -> windowEnd(container.idleSince(), policy.scaledownWindow()));
  }

  /** Counts the containers that are not STOPPING. */
  private static int liveCount(PoolSnapshot pool) {
    int live = 0;
    for (ContainerView container : pool.containers()) {
      if (container.isLive()) {
        live++;
      }
    }
    return live;
  }

  /** Computes the number of live containers the pool should have, per rules 2 and 3. */
  private static int desired(ScalingPolicy policy, PoolSnapshot pool) {
    // Sums are kept in long so that absurd but valid counts cannot overflow into a negative demand.
    long work = pool.queuedInputs();
    for (ContainerView container : pool.containers()) {
      if (container.isLive()) {
        work += container.activeInputs();
      }
    }
    long concurrency = policy.targetConcurrentInputs();
    long demand = (work + concurrency - 1) / concurrency;
    long desired = demand > 0 ? demand + policy.bufferContainers() : 0;
    desired = Math.max(desired, policy.minContainers());
    if (policy.hasCap()) {
      desired = Math.min(desired, policy.maxContainers());
    }
    return (int) Math.min(desired, Integer.MAX_VALUE);
  }

  /** Returns the containers that may be stopped at all, longest idle first. */
  private static List<ContainerView> idleCandidates(PoolSnapshot pool) {
    return pool.containers().stream()
        .filter(ContainerView::isIdleReady)
        .sorted(LONGEST_IDLE_FIRST)
        .toList();
  }

  /** Returns whether an idle container has been idle for at least the scale-down window. */
  private static boolean hasOutlivedWindow(
      ContainerView container, ScalingPolicy policy, Instant now) {
    Instant idleSince = container.idleSince();
    if (idleSince == null) {
      return false;
    }
    return Duration.between(idleSince, now).compareTo(policy.scaledownWindow()) >= 0;
  }

  /** Adds the window to an idle start, saturating at {@link Instant#MAX} instead of throwing. */
  private static Instant windowEnd(Instant idleSince, Duration window) {
    if (window.compareTo(Duration.between(idleSince, Instant.MAX)) > 0) {
      return Instant.MAX;
    }
    return idleSince.plus(window);
  }
}
