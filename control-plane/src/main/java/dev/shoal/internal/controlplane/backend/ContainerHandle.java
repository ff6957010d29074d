package dev.shoal.internal.controlplane.backend;

/** A started container, as its backend controls it. */
public interface ContainerHandle {
  /** Ends the container at once, without letting it clean up; its exit is still reported. */
  void kill();

  /**
   * Ends a container whose connection to the control plane has ended: it is dead or about to be. The default
   * kills it at once. A backend that learns how a container ended only some time after its connection drops
   * (Kubernetes tells a pod's {@code OOMKilled} after the process is gone) may wait a little first, so that the
   * exit it reports says why rather than that it was killed.
   */
  default void disconnected() {
    kill();
  }

  /**
   * Whether the platform has yet to give the container a place to run: a pod waiting for a node or pulling its
   * image. Such time does not count against the function's start-up timeout, which measures how long the code takes
   * to start; a backend that can wait so bounds the wait itself (Kubernetes: {@code --kube-schedule-timeout}, and an
   * image that cannot be pulled ends the start at once). The default, for backends that start at once: never.
   */
  default boolean awaitingPlatform() {
    return false;
  }

  /** Whether the container is still running; false once it has fully ended. */
  boolean isAlive();

  /** The operating-system process id, or -1 where there is none. */
  long pid();

  /**
   * What the backend calls the container, kept in the state store while it lives so that an operator can find it
   * (a pod's name); the default is its process id.
   */
  default String reference() {
    return "pid " + pid();
  }
}
