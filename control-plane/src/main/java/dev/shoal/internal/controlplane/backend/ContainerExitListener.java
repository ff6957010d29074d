package dev.shoal.internal.controlplane.backend;

/** Told once when a container has ended. */
@FunctionalInterface
public interface ContainerExitListener {
  /** The container {@code containerId} has ended, as {@code exit} says. */
  void exited(String containerId, ContainerExit exit);

  /** An exit of the container's own, whose reason is no more than its code. */
  default void exited(String containerId, int exitCode, String detail) {
    exited(containerId, ContainerExit.exited(exitCode, detail));
  }
}
