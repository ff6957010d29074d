package dev.shoal.internal.client;

import java.util.function.IntSupplier;

/**
 * A one-line progress bar for a long map on the caller's terminal (see {@link ProgressLine} for what it shows).
 * It appears only after the map has run for a second, and only
 * when output is on and stderr is a terminal; otherwise every method does nothing and nothing is asked of the
 * engine.
 */
final class ProgressBar implements AutoCloseable {
  private static final long REDRAW_MILLIS = 200;

  private final ProgressFrames frames;
  private final Thread drawer;
  private volatile long done;
  private volatile long failed;
  private volatile long total = -1;
  private volatile boolean closed;

  private ProgressBar(String label, IntSupplier liveContainers, boolean draw) {
    this.frames = new ProgressFrames(label, System.nanoTime(), liveContainers);
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

  /** Redraws the bar until closed; the frames it draws are {@link ProgressFrames}'s, on the system's clock. */
  private void drawLoop() {
    try {
      while (!closed) {
        Thread.sleep(REDRAW_MILLIS);
        String line = frames.frame(System.nanoTime(), done, total, failed);
        if (line != null) {
          OutputSink.bar(line);
        }
      }
    } catch (InterruptedException e) {
      // Closed.
    }
    String last = frames.last(System.nanoTime(), done, total, failed);
    if (last != null) {
      OutputSink.bar(null);
      OutputSink.println(last);
    }
  }
}
