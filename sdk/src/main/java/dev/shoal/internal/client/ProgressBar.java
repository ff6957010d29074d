package dev.shoal.internal.client;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A one-line progress bar for a long map on the caller's terminal: done of total (once the total is known),
 * rate, failures and the function's live containers. It appears only after the map has run for a second, and only
 * when output is on and stderr is a terminal; otherwise every method does nothing and nothing is asked of the
 * engine.
 */
public final class ProgressBar implements AutoCloseable {
  private static final long FIRST_DRAW_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long REDRAW_MILLIS = 200;
  private static final long CONTAINERS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int WIDTH = 30;

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
    try {
      while (!closed) {
        Thread.sleep(REDRAW_MILLIS);
        long now = System.nanoTime();
        long elapsed = now - startNanos;
        if (elapsed >= FIRST_DRAW_NANOS) {
          if (!shown || now - containersAskedAt >= CONTAINERS_EVERY_NANOS) {
            containers = askLiveContainers();
            containersAskedAt = now;
          }
          OutputSink.bar(render(label, done, total, failed, containers, elapsed / 1e9));
          shown = true;
        }
      }
    } catch (InterruptedException e) {
      // Closed.
    }
    if (shown) {
      OutputSink.bar(null);
      OutputSink.println(render(label, done, total, failed, -1, (System.nanoTime() - startNanos) / 1e9));
    }
  }

  private int askLiveContainers() {
    try {
      return liveContainers.getAsInt();
    } catch (RuntimeException e) {
      return -1; // The bar is a courtesy: an engine that cannot say leaves the count out.
    }
  }

  /**
   * The bar's text: {@code label [=====>    ] 120/400 · 35.2/s · 3 failed · 4 containers}; without a total, no
   * bar; a negative {@code containers} leaves the count out.
   */
  public static String render(String label, long done, long total, long failed, int containers, double seconds) {
    StringBuilder b = new StringBuilder(label).append(' ');
    if (total >= 0) {
      int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * done / total);
      b.append('[').append("=".repeat(filled));
      if (filled < WIDTH) {
        b.append('>').append(" ".repeat(WIDTH - filled - 1));
      }
      b.append("] ").append(done).append('/').append(total);
    } else {
      b.append(done);
    }
    double rate = seconds > 0 ? done / seconds : 0;
    b.append(String.format(Locale.ROOT, " · %.1f/s", rate));
    if (failed > 0) {
      b.append(" · ").append(failed).append(" failed");
    }
    if (containers >= 0) {
      b.append(" · ").append(containers).append(containers == 1 ? " container" : " containers");
    }
    return b.toString();
  }
}
