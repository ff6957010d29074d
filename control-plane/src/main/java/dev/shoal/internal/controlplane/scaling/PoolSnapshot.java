package dev.shoal.internal.controlplane.scaling;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The state of one function pool at the moment the autoscaler is consulted.
 *
 * @param queuedInputs inputs waiting for a container slot
 * @param containers every container of the pool, including those that are STOPPING
 */
public record PoolSnapshot(int queuedInputs, List<ContainerView> containers) {

  /** Validates the snapshot and takes an immutable copy of the container list. */
  public PoolSnapshot {
    if (queuedInputs < 0) {
      throw new IllegalArgumentException("queuedInputs must be >= 0, got " + queuedInputs);
    }
    // The copy also rejects null elements, and it keeps a caller that later mutates its own list
    // from changing a snapshot that a decision was already based on.
    containers = List.copyOf(containers);
    // Stop decisions name containers by id, so two containers with one id would be ambiguous.
    Set<String> ids = new HashSet<>();
    for (ContainerView container : containers) {
      if (!ids.add(container.id())) {
        throw new IllegalArgumentException("duplicate container id " + container.id());
      }
    }
  }
}
