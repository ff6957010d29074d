package dev.shoal;

import dev.shoal.internal.client.AppHeartbeat;
import dev.shoal.internal.client.LogPrinter;

/**
 * A running app. An ephemeral run lives while its client does: it sends a heartbeat every few seconds, and the
 * engine stops a run it has not heard from for 15 s. A detached run keeps going until it is stopped.
 * Closing it stops an ephemeral run: its unfinished calls are cancelled and its containers stop. Inside a
 * container, {@code app.run()} joins the run the container belongs to, and closing it does nothing.
 */
public final class AppRun implements AutoCloseable {
  private final App app;
  private final String appId;
  private final boolean owner;
  private final AppHeartbeat heartbeat;
  private final LogPrinter output;
  private final Runnable onClose;
  private boolean closed;

  AppRun(App app, String appId, boolean owner) {
    this(app, appId, owner, null, null, () -> {});
  }

  /**
   * @param heartbeat the heartbeat of an ephemeral run; null for a detached one
   * @param output what shows the run's output on the caller's terminal; null when output is off
   * @param onClose what else closing the run ends: its use of the dashboard, its watch on the JVM's exit
   */
  AppRun(App app, String appId, boolean owner, AppHeartbeat heartbeat, LogPrinter output, Runnable onClose) {
    this.app = app;
    this.appId = appId;
    this.owner = owner;
    this.heartbeat = heartbeat;
    this.output = output;
    this.onClose = onClose;
  }

  /** The run's id ({@code ap-…}). */
  public String appId() {
    return appId;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (heartbeat != null) {
      heartbeat.stop();
    }
    try {
      if (owner && heartbeat == null) {
        // A detached run keeps going: closing the handle only lets this JVM run the app again.
        app.unbind(appId);
      } else if (owner) {
        app.stop(appId);
      }
    } finally {
      try {
        if (output != null) {
          // A stopped run's log ends once its last lines are out; a detached run's goes on, so stop at once.
          output.close(owner && heartbeat != null);
        }
      } finally {
        onClose.run();
      }
    }
  }
}
