package dev.shoal.internal.controlplane.backend;

/** Told once when a container has ended. */
@FunctionalInterface
public interface ContainerExitListener {
  /**
   * @param exitCode the process exit code, or -1 where there is none
   * @param detail what the backend knows of why, such as the last lines the container wrote to stderr
   */
  void exited(String containerId, int exitCode, String detail);
}
