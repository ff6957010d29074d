package dev.shoal.internal.controlplane.backend;

/** A started container, as its backend controls it. */
public interface ContainerHandle {
  /** Ends the container at once, without letting it clean up; its exit is still reported. */
  void kill();

  /** Whether the container is still running; false once it has fully ended. */
  boolean isAlive();

  /** The operating-system process id, or -1 where there is none. */
  long pid();
}
