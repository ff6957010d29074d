package dev.shoal.internal.controlplane.scaling;

import java.time.Instant;
import java.util.Objects;

/**
 * A read-only view of one container in a pool, as seen by the autoscaler.
 *
 * @param id the container's identifier, unique within its pool
 * @param phase the container's lifecycle phase
 * @param activeInputs how many inputs the container is running right now
 * @param idleSince when {@code activeInputs} last became 0, or when the container became READY if
 *     it has never run an input; ignored while {@code activeInputs > 0}. It may be {@code null}
 *     when it is ignored or not yet known, in which case the container is never considered to have
 *     outlived its scale-down window.
 */
public record ContainerView(String id, ContainerPhase phase, int activeInputs, Instant idleSince) {

  /** Validates the view so that the autoscaler can rely on its fields. */
  public ContainerView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(phase, "phase");
    if (activeInputs < 0) {
      throw new IllegalArgumentException("activeInputs must be >= 0, got " + activeInputs);
    }
  }

  /** Returns whether the container counts as live, that is, whether it is not STOPPING. */
  public boolean isLive() {
    return phase != ContainerPhase.STOPPING;
  }

  /** Returns whether the container is READY and runs no input, so it may be stopped at all. */
  public boolean isIdleReady() {
    return phase == ContainerPhase.READY && activeInputs == 0;
  }
}
