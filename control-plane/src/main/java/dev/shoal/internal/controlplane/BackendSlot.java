package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend and how many of its containers are live, so that pools share its capacity, and how many of them are
 * starting, so that a pool can tell a slow start on a machine busy starting others from a slow app.
 */
final class BackendSlot {
  private final ContainerBackend backend;
  private final AtomicInteger live = new AtomicInteger();
  private final AtomicInteger starting = new AtomicInteger();

  BackendSlot(ContainerBackend backend) {
    this.backend = backend;
  }

  ContainerBackend backend() {
    return backend;
  }

  int headroom() {
    return Math.max(0, backend.capacity() - live.get());
  }

  /** Takes one place for a new container, if there is one. */
  boolean reserve() {
    while (true) {
      int n = live.get();
      if (n >= backend.capacity()) {
        return false;
      }
      if (live.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** An adopted container takes a place whether or not one is free: it runs already. */
  void occupy() {
    live.incrementAndGet();
  }

  void release() {
    live.decrementAndGet();
  }

  int live() {
    return live.get();
  }

  /** A container of this backend began to start. */
  void startingOne() {
    starting.incrementAndGet();
  }

  /** A container of this backend is no longer starting: it is ready, or gone. */
  void doneStarting() {
    starting.decrementAndGet();
  }

  /** How many containers of this backend, of every pool, are starting now. */
  int starting() {
    return starting.get();
  }
}
