package dev.shoal.benchmarks;

import java.time.Duration;

/**
 * How big each scenario is, and how long its JVM may take. The full sizes are the issue's; quick and tiny only
 * prove that the harness works, so their figures are not judged against the targets.
 *
 * @param warmInputs inputs of each map that starts and warms the containers before the timed maps
 * @param warmUpInputs how many inputs those maps take in all, at least (or for at most 20 s)
 * @param steadyMinSeconds how long maps of the timed size go on after that at least, and until their rate settles
 * @param steadyWaitSeconds how long they may go on at most ({@link SteadyState})
 * @param warmCalls calls before the timed round trips
 * @param lazyMapInputs inputs of the lazy map whose caller heap is held to {@code lazyMapHeapMb}
 * @param smallLazyMapInputs inputs of the lazy map held to {@code smallLazyMapHeapMb}: the core engine's first step
 * @param jobRunrJobs jobs enqueued into JobRunr
 * @param spawns durable spawns timed, and jobs JobRunr runs on PostgreSQL beside them
 * @param batchedInputs sentences embedded by each map of the batching scenario
 * @param scenarioTimeoutSeconds how long one measurement's JVM may take before it counts as hung
 * @param lazyMapTimeoutSeconds how long the large lazy map may run; it fits the run's ten minutes, not the map
 */
public record Sizes(String mode, int mapInputs, int warmInputs, int warmUpInputs, int steadyMinSeconds, int steadyWaitSeconds, int roundTrips, int warmCalls,
    int coldStarts, int lazyMapInputs, int lazyMapHeapMb, int smallLazyMapInputs, int smallLazyMapHeapMb,
    int jobRunrJobs, int spawns, int batchedInputs, int scenarioTimeoutSeconds, int lazyMapTimeoutSeconds) {

  public static final Sizes FULL = new Sizes("full", 100_000, 20_000, 400_000, 20, 60, 10_000, 2_000, 5,
      10_000_000, 64, 1_000_000, 128, 100_000, 20_000, 2_000, 180, 180);
  public static final Sizes QUICK = new Sizes("quick", 20_000, 2_000, 20_000, 5, 15, 2_000, 200, 2,
      200_000, 64, 50_000, 128, 5_000, 2_000, 1_000, 90, 90);
  /** For the harness's own test: every scenario runs, on inputs small enough for a test suite. */
  public static final Sizes TINY = new Sizes("tiny", 2_000, 200, 400, 0, 0, 200, 50, 1,
      10_000, 64, 5_000, 128, 500, 300, 192, 120, 60);

  /**
   * How long a measurement that reports progress (every thousand results or calls, every container start) may go
   * quiet before it counts as hung. Generous, as on a busy two-core machine a container JVM can take seconds to start.
   */
  public static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

  public static Sizes named(String mode) {
    return switch (mode) {
      case "full" -> FULL;
      case "quick" -> QUICK;
      case "tiny" -> TINY;
      default -> throw new IllegalArgumentException("unknown mode '" + mode + "': full, quick or tiny");
    };
  }

  /** Targets are for the full sizes; a shorter run's figures are not comparable with them. */
  public boolean judged() {
    return this == FULL;
  }
}
