package dev.shoal.internal.controlplane.scaling;

import java.util.List;

/**
 * What the autoscaler wants done to a pool: how many containers to start and which ones to stop.
 *
 * @param start how many new containers to start, never negative
 * @param stop the ids of the containers to stop, longest idle first
 */
public record ScalingDecision(int start, List<String> stop) {

  /** The decision to leave the pool as it is. */
  public static final ScalingDecision NONE = new ScalingDecision(0, List.of());

  /** Validates the decision and takes an immutable copy of the stop list. */
  public ScalingDecision {
    if (start < 0) {
      throw new IllegalArgumentException("start must be >= 0, got " + start);
    }
    stop = List.copyOf(stop);
  }

  /** Returns whether this decision asks for nothing to be started or stopped. */
  public boolean isNone() {
    return start == 0 && stop.isEmpty();
  }
}
