package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerExitListener;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;

/** A backend named "none" with no room for any container: calls stay queued where a test can count them. */
final class NoRoomBackend implements ContainerBackend {
  @Override
  public String name() {
    return "none";
  }

  @Override
  public int capacity() {
    return 0;
  }

  @Override
  public ContainerHandle start(ContainerSpec spec, ContainerExitListener onExit) {
    throw new IllegalStateException("no room");
  }

  @Override
  public void close() {}
}
