package dev.shoal.internal.runtime;

import dev.shoal.internal.client.ContainerScope;

/**
 * What a container may do to the JVM it runs in. A process container owns its JVM: its scope is the whole
 * process's, lines printed outside any input are its own, and an error that leaves the JVM untrustworthy ends the
 * process. A thread container shares the caller's JVM, and does none of that: its scope is entered only on its
 * own threads, and the caller's output and process stay the caller's.
 */
public enum ContainerHost {
  /** The container is alone in a JVM that the backend started for it. */
  PROCESS {
    @Override
    void adopt(ContainerScope scope) {
      scope.adoptProcess();
    }

    @Override
    void routeStrayOutput(LogShipper shipper) {
      OutputRouting.routeUnattributedTo(shipper);
    }

    @Override
    Throwable fatalOrItself(Throwable e) {
      // The JVM cannot be trusted after a VirtualMachineError: dying loses no input, which goes back to the queue.
      if (e instanceof VirtualMachineError) {
        Runtime.getRuntime().halt(137);
      }
      return e;
    }
  },

  /** The container runs on threads of a JVM that is not its own: the caller's, for the thread backend. */
  SHARED_JVM;

  /** Makes the container's scope reach as far as the container owns. */
  void adopt(ContainerScope scope) {}

  /** Sends lines printed by threads that run no input to the container's log, where the JVM is the container's. */
  void routeStrayOutput(LogShipper shipper) {}

  /** What a throw from user code becomes: the throw itself, unless it ends the JVM first. */
  Throwable fatalOrItself(Throwable e) {
    return e;
  }
}
