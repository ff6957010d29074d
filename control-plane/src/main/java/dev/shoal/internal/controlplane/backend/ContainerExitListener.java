package dev.shoal.internal.controlplane.backend;

/** Told once when a container has ended. */
@FunctionalInterface
public interface ContainerExitListener {
  /**
   * @param exitCode the process exit code, or -1 where there is none
   * @param reason why, in a few words for the app's log, such as {@code OOMKilled}; empty when the backend knows
   *     no more than the exit code
   * @param detail what the backend knows of why, for the control plane's log, such as the last lines the
   *     container wrote to stderr
   */
  void exited(String containerId, int exitCode, String reason, String detail);

  /** An exit whose reason is no more than its code, such as a process's. */
  default void exited(String containerId, int exitCode, String detail) {
    exited(containerId, exitCode, "", detail);
  }
}
