package dev.shoal.internal.controlplane;

import java.util.List;

/**
 * What the control plane says to one container. The core decides what to say; the container service carries it
 * over the container's stream ({@link StreamContainerChannel}), and a test can listen in memory instead.
 *
 * <p>Every method may be called on any thread, after the channel was closed too: a container may be dying while
 * the core talks to it, and what it is told then is lost with it, which the core's leases account for.
 */
interface ContainerChannel {
  /** Hands the container inputs to run, each under a lease it holds until it answers. */
  void send(List<InputLease> inputs);

  /**
   * Tells the container that these inputs' calls were cancelled: it drops those it has not started and interrupts
   * the ones it runs, answering each with a cancellation.
   */
  void cancel(List<String> inputIds);

  /** Asks the container to finish what it runs and exit. */
  void shutdown();

  /** Ends the conversation: the container has left its pool, and nothing more is said to it. */
  void close();

  /**
   * Ends the conversation as a control plane that goes away would, without asking the container to stop: it keeps
   * what it runs and reconnects, to be adopted by the control plane's next life. A channel whose container cannot
   * reconnect has nothing to do.
   */
  default void handOver() {}
}
