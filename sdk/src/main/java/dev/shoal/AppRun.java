package dev.shoal;

/**
 * A running app. Closing it stops the run: its unfinished calls are cancelled and its containers stop. Inside a
 * container, {@code app.run()} joins the run the container belongs to, and closing it does nothing.
 */
public final class AppRun implements AutoCloseable {
  private final App app;
  private final String appId;
  private final boolean owner;
  private boolean closed;

  AppRun(App app, String appId, boolean owner) {
    this.app = app;
    this.appId = appId;
    this.owner = owner;
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
    if (owner) {
      app.stop(appId);
    }
  }
}
