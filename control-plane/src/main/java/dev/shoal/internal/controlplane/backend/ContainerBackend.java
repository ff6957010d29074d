package dev.shoal.internal.controlplane.backend;

/** What a container is: a process, a set of threads, a pod. The control plane decides; a backend carries out. */
public interface ContainerBackend extends AutoCloseable {
  /** The name a run selects this backend by ({@code processes}, {@code threads}, {@code kubernetes}). */
  String name();

  /** The most containers this backend runs at once, across every function. */
  int capacity();

  /**
   * Starts a container that will connect back to the control plane with the spec's id and token. Returns at once;
   * {@code onExit} is called exactly once when the container has ended, however it ended, with its cause: a
   * container that the backend ended itself ({@link ContainerHandle#kill}, or after
   * {@link ContainerHandle#disconnected}) is {@link ContainerExit.Cause#STOPPED}, whatever its exit code.
   */
  ContainerHandle start(ContainerSpec spec, ContainerExitListener onExit);

  /** Stops every container this backend started and waits for them to be gone. */
  @Override
  void close();
}
