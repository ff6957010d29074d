package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import java.util.concurrent.atomic.AtomicInteger;

/** A backend and how many of its containers are live, so that pools share its capacity. */
final class BackendSlot {
  private final ContainerBackend backend;
  private final AtomicInteger live = new AtomicInteger();

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

  void release() {
    live.decrementAndGet();
  }

  int live() {
    return live.get();
  }
}
