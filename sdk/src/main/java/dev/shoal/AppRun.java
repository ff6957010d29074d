package dev.shoal;

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
  private final Heartbeat heartbeat;
  private boolean closed;

  AppRun(App app, String appId, boolean owner) {
    this(app, appId, owner, null);
  }

  AppRun(App app, String appId, boolean owner, Heartbeat heartbeat) {
    this.app = app;
    this.appId = appId;
    this.owner = owner;
    this.heartbeat = heartbeat;
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
    if (owner && heartbeat == null) {
      // A detached run keeps going: closing the handle only lets this JVM run the app again.
      app.unbind(appId);
    } else if (owner) {
      app.stop(appId);
    }
  }
}
