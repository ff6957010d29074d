package dev.shoal.internal.client;

/**
 * Starts or finds the embedded engine; found with {@link java.util.ServiceLoader}, so that the SDK does not
 * depend on the control plane.
 */
public interface EngineProvider {
  /** A connection to this JVM's embedded engine, started on first use. */
  EngineConnection connect();

  /** Serves the embedded engine's dashboard, if it has none yet, and returns its address. */
  String serveDashboard();
}
