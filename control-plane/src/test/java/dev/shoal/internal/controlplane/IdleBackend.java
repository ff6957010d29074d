package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerExitListener;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;

/** A backend for tests that start apps but never run an input: asked to start a container, it fails the test. */
final class IdleBackend implements ContainerBackend {
  @Override
  public String name() {
    return "idle";
  }

  @Override
  public int capacity() {
    return 1;
  }

  @Override
  public ContainerHandle start(ContainerSpec spec, ContainerExitListener onExit) {
    throw new IllegalStateException("this test starts no container");
  }

  @Override
  public void close() {}
}
