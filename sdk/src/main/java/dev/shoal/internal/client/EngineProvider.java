package dev.shoal.internal.client;

/**
 * Starts or finds the embedded engine; found with {@link java.util.ServiceLoader}, so that the SDK does not
 * depend on the control plane.
 */
public interface EngineProvider {
  /** A connection to this JVM's embedded engine, started on first use. */
  EngineConnection connect();

  /**
   * Serves the embedded engine's dashboard for a run, if it has none yet; the action returned ends the run's use of
   * it, which closes the dashboard once no run uses it, unless {@code keepAfter} asked for it to stay open.
   */
  Runnable openDashboardForRun(boolean keepAfter);
}
