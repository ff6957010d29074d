package dev.shoal.internal.client;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A one-line progress bar for a long map on the caller's terminal: done of total (once the total is known),
 * rate and failures. It appears only after the map has run for a second, and only when output is on and stderr
 * is a terminal; otherwise every method does nothing.
 */
public final class ProgressBar implements AutoCloseable {
  private static final long FIRST_DRAW_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long REDRAW_MILLIS = 200;
  private static final int WIDTH = 30;

  private final String label;
  private final long startNanos = System.nanoTime();
  private final Thread drawer;
  private volatile long done;
  private volatile long failed;
  private volatile long total = -1;
  private volatile boolean closed;

  private ProgressBar(String label, boolean draw) {
    this.label = label;
    this.drawer = draw ? Thread.ofPlatform().daemon().name("shoal-progress").start(this::drawLoop) : null;
  }

  /** A bar for {@code label}, drawn only where {@link OutputSink#drawsProgress()} says so. */
  public static ProgressBar start(String label) {
    return new ProgressBar(label, OutputSink.drawsProgress());
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
    try {
      while (!closed) {
        Thread.sleep(REDRAW_MILLIS);
        long elapsed = System.nanoTime() - startNanos;
        if (elapsed >= FIRST_DRAW_NANOS) {
          OutputSink.bar(render(label, done, total, failed, elapsed / 1e9));
          shown = true;
        }
      }
    } catch (InterruptedException e) {
      // Closed.
    }
    if (shown) {
      OutputSink.bar(null);
      OutputSink.println(render(label, done, total, failed, (System.nanoTime() - startNanos) / 1e9));
    }
  }

  /** The bar's text: {@code label [=====>    ] 120/400 · 35.2/s · 3 failed}; without a total, no bar. */
  public static String render(String label, long done, long total, long failed, double seconds) {
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
    return b.toString();
  }
}
