package dev.shoal.internal.client;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A one-line progress bar for a long map on the caller's terminal (see {@link ProgressLine} for what it shows).
 * It appears only after the map has run for a second, and only
 * when output is on and stderr is a terminal; otherwise every method does nothing and nothing is asked of the
 * engine.
 */
final class ProgressBar implements AutoCloseable {
  private static final long FIRST_DRAW_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long REDRAW_MILLIS = 200;
  private static final long CONTAINERS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** The span the shown rate and time left are measured over. */
  private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final String label;
  private final long startNanos = System.nanoTime();
  private final IntSupplier liveContainers;
  private final Thread drawer;
  private volatile long done;
  private volatile long failed;
  private volatile long total = -1;
  private volatile boolean closed;

  private ProgressBar(String label, IntSupplier liveContainers, boolean draw) {
    this.label = label;
    this.liveContainers = liveContainers;
    this.drawer = draw ? Thread.ofPlatform().daemon().name("shoal-progress").start(this::drawLoop) : null;
  }

  /**
   * A bar for {@code label}, drawn only where {@link OutputSink#drawsProgress()} says so. The drawing thread asks
   * {@code liveContainers} about once a second; a negative answer or an exception leaves the count out.
   */
  public static ProgressBar start(String label, IntSupplier liveContainers) {
    return new ProgressBar(label, liveContainers, OutputSink.drawsProgress());
  }

  /** Counts one more finished input. */
  public synchronized void finished(boolean failure) {
    done++;
    if (failure) {
      failed++;
    }
  }

  /** Sets the count of finished (or sent) inputs. */
  public void progress(long count) {
    done = count;
  }

  /** The total, once it is known. */
  public void total(long n) {
    total = n;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (drawer != null) {
      drawer.interrupt();
      try {
        drawer.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void drawLoop() {
    boolean shown = false;
    int containers = -1;
    long containersAskedAt = 0;
    RateWindow rate = new RateWindow(RATE_WINDOW_NANOS);
    try {
      while (!closed) {
        Thread.sleep(REDRAW_MILLIS);
        long now = System.nanoTime();
        long elapsed = now - startNanos;
        long count = done;
        double recent = rate.sample(now, count);
        if (elapsed >= FIRST_DRAW_NANOS) {
          if (!shown || now - containersAskedAt >= CONTAINERS_EVERY_NANOS) {
            containers = askLiveContainers();
            containersAskedAt = now;
          }
          OutputSink.bar(new ProgressLine(label, count, total, failed, containers, elapsed, recent).render());
          shown = true;
        }
      }
    } catch (InterruptedException e) {
      // Closed.
    }
    if (shown) {
      OutputSink.bar(null);
      OutputSink.println(
          new ProgressLine(label, done, total, failed, -1, System.nanoTime() - startNanos, Double.NaN).renderFinal());
    }
  }

  private int askLiveContainers() {
    try {
      return liveContainers.getAsInt();
    } catch (RuntimeException e) {
      return -1; // The bar is a courtesy: an engine that cannot say leaves the count out.
    }
  }
}
