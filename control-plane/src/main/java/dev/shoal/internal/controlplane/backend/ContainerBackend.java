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

  /**
   * Takes over a container that an earlier life of the control plane started and that outlived it, such as a pod
   * that kept running through a control plane's restart: from now on it is this backend's, as if {@link #start}
   * had started it, and {@code onExit} hears of its end. Empty when the backend has no such container, which is
   * always so for a backend whose containers end with the control plane (the default).
   */
  default java.util.Optional<ContainerHandle> adopt(String containerId, ContainerExitListener onExit) {
    return java.util.Optional.empty();
  }

  /**
   * Whether this backend's containers can outlive the control plane and be adopted by its next life
   * ({@link #adopt}): a pod runs on when the control plane's process ends, and its container reconnects. A control
   * plane that stops gracefully then hands its containers over ({@link #handOver}) rather than ending them, so that
   * the inputs they run finish once. False by default: a process or thread container ends with the control plane.
   */
  default boolean handsOverContainers() {
    return false;
  }

  /**
   * Lets go of every container without ending it, for the next life of the control plane to adopt, and closes the
   * backend: its containers keep running, and no exit of theirs is reported from now on. Called instead of
   * {@link #close} when the control plane stops and {@link #handsOverContainers} is true; the default closes.
   */
  default void handOver() {
    close();
  }

  /** Stops every container this backend started and waits for them to be gone. */
  @Override
  void close();
}
