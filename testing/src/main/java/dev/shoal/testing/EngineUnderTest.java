package dev.shoal.testing;

import dev.shoal.internal.controlplane.ControlPlane;

/** An engine a test runs against: its control plane, how clients reach it, and how it ends. */
interface EngineUnderTest extends AutoCloseable {
  ControlPlane controlPlane();

  /** Where clients connect: {@code inprocess:NAME} or {@code host:port}. */
  String target();

  String token();

  /** Stops the engine and waits for its containers to end. */
  @Override
  void close();
}
