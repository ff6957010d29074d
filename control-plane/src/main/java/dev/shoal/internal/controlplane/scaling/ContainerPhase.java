package dev.shoal.internal.controlplane.scaling;

/** The lifecycle phase of a container, as far as the autoscaler cares. */
public enum ContainerPhase {
  /** The container has been requested but cannot take inputs yet; it still counts as live. */
  STARTING,
  /** The container is up and can take inputs; only READY containers are ever stopped. */
  READY,
  /** The container has been told to stop; it no longer counts as live and is never chosen again. */
  STOPPING
}
