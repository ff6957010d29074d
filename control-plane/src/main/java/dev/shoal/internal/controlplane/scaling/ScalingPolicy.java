package dev.shoal.internal.controlplane.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * The scaling settings of one function pool, with Modal's semantics.
 *
 * @param minContainers containers kept warm while the app runs, even when the function is idle
 * @param maxContainers hard cap on live containers that is never exceeded; {@code 0} means the pool
 *     has no cap of its own (only machine headroom limits it)
 * @param bufferContainers idle extras kept ready while the function has queued or running inputs
 * @param scaledownWindow how long a container must have been idle before it may be stopped
 * @param maxConcurrentInputs how many inputs one container runs at the same time
 * @param targetConcurrentInputs how many inputs the autoscaler sizes the pool for per container: demand is
 *     counted in containers of this many inputs, and a container takes up to {@code maxConcurrentInputs} only
 *     when the pool cannot grow (Modal's {@code target_inputs})
 */
public record ScalingPolicy(
    int minContainers,
    int maxContainers,
    int bufferContainers,
    Duration scaledownWindow,
    int maxConcurrentInputs,
    int targetConcurrentInputs) {

  /** A policy whose containers are sized for as many inputs as each may hold. */
  public ScalingPolicy(int minContainers, int maxContainers, int bufferContainers, Duration scaledownWindow,
      int maxConcurrentInputs) {
    this(minContainers, maxContainers, bufferContainers, scaledownWindow, maxConcurrentInputs, maxConcurrentInputs);
  }

  /** Validates the settings so that the autoscaler never has to second-guess them. */
  public ScalingPolicy {
    if (minContainers < 0) {
      throw new IllegalArgumentException("minContainers must be >= 0, got " + minContainers);
    }
    if (maxContainers < 0) {
      throw new IllegalArgumentException("maxContainers must be >= 0, got " + maxContainers);
    }
    if (bufferContainers < 0) {
      throw new IllegalArgumentException(
          "bufferContainers must be >= 0, got " + bufferContainers);
    }
    // A cap below the floor would make "never exceed the cap" and "keep the floor warm"
    // contradict each other, so such a policy is rejected rather than silently resolved.
    if (maxContainers != 0 && maxContainers < minContainers) {
      throw new IllegalArgumentException(
          "maxContainers ("
              + maxContainers
              + ") must be 0 (no cap) or >= minContainers ("
              + minContainers
              + ")");
    }
    Objects.requireNonNull(scaledownWindow, "scaledownWindow");
    if (scaledownWindow.isNegative()) {
      throw new IllegalArgumentException(
          "scaledownWindow must not be negative, got " + scaledownWindow);
    }
    if (maxConcurrentInputs < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentInputs must be >= 1, got " + maxConcurrentInputs);
    }
    if (targetConcurrentInputs < 1 || targetConcurrentInputs > maxConcurrentInputs) {
      throw new IllegalArgumentException("targetConcurrentInputs must be 1..maxConcurrentInputs ("
          + maxConcurrentInputs + "), got " + targetConcurrentInputs);
    }
  }

  /** Returns whether this policy sets a cap on live containers. */
  public boolean hasCap() {
    return maxContainers > 0;
  }
}
