package dev.shoal.internal.embedded;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The embedded engine's dashboard over its lifetime: served while a run that asked for it is open, closed when the
 * last such run closes, or kept open after it when one of them asked for that.
 *
 * <p>The dashboard's own threads are daemons, so a served dashboard never keeps the JVM alive. Keeping it open
 * after a job is the one case where the JVM must stay: a non-daemon thread waits until the JVM is told to exit
 * (Ctrl-C), and the line printed when the last run ends says so.
 */
final class EmbeddedDashboard {
  private final Function<String, DashboardProvider.Served> server;
  private final java.util.function.Supplier<String> newToken;
  private final Consumer<String> printer;
  /** Guarded by this. */
  private DashboardProvider.Served served;
  private String token;
  private int openRuns;
  private boolean pinned;
  private boolean keep;
  private CountDownLatch kept;

  /**
   * @param server serves a dashboard that logs in with the given token
   * @param newToken a new token for each dashboard served
   * @param printer where the lines for the user go
   */
  EmbeddedDashboard(Function<String, DashboardProvider.Served> server, java.util.function.Supplier<String> newToken,
      Consumer<String> printer) {
    this.server = server;
    this.newToken = newToken;
    this.printer = printer;
  }

  /** Serves the dashboard until the engine closes, whatever runs do; returns its address. */
  synchronized String serve() {
    pinned = true;
    return started().url();
  }

  /**
   * Serves the dashboard for a run; the action returned ends the run's use of it (a second call does nothing).
   * With {@code keepAfter}, the dashboard stays open once the last run using it has ended.
   */
  synchronized Runnable openForRun(boolean keepAfter) {
    started();
    openRuns++;
    keep |= keepAfter;
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        release();
      }
    };
  }

  private synchronized void release() {
    openRuns--;
    if (openRuns > 0 || pinned || served == null) {
      return;
    }
    if (keep) {
      keepOpen();
    } else {
      served.close();
      served = null;
      token = null;
    }
  }

  private void keepOpen() {
    if (kept != null) {
      return;
    }
    CountDownLatch latch = new CountDownLatch(1);
    kept = latch;
    Thread.ofPlatform().daemon(false).name("shoal-dashboard-kept").start(() -> {
      try {
        latch.await();
      } catch (InterruptedException e) {
        // The JVM is going; nothing to keep.
      }
    });
    printer.accept("the run has ended; the dashboard stays open at " + served.url()
        + " until you press Ctrl-C (or the JVM is stopped)");
  }

  private DashboardProvider.Served started() {
    if (served == null) {
      token = newToken.get();
      served = server.apply(token);
      printer.accept(served.newLoginUrl() + " (this link logs in once; the page can print a new one here)");
    }
    return served;
  }

  /** The token of the dashboard being served; for tests. */
  synchronized Optional<String> token() {
    return Optional.ofNullable(token);
  }

  /** A new one-time login address of the dashboard being served; for tests. */
  synchronized Optional<String> newLoginUrl() {
    return Optional.ofNullable(served).map(DashboardProvider.Served::newLoginUrl);
  }

  /** Whether a dashboard is being served. */
  synchronized boolean isServed() {
    return served != null;
  }

  /** Closes the dashboard, if one is served, and lets the JVM go. */
  synchronized void close() {
    if (served != null) {
      served.close();
      served = null;
      token = null;
    }
    if (kept != null) {
      kept.countDown();
    }
  }
}
