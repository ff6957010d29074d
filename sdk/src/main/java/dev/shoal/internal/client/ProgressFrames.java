package dev.shoal.internal.client;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * What a progress bar shows at each redraw, from its counts and the time: nothing for the map's first second (a
 * short map never shows a bar), then a {@link ProgressLine} with the rate over the last few seconds and the
 * function's live containers, asked for at most once a second. Time comes in as an argument, so a test can walk a
 * map's life without waiting for it.
 */
final class ProgressFrames {
  static final long FIRST_DRAW_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long CONTAINERS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** The span the shown rate and time left are measured over. */
  private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final String label;
  private final long startNanos;
  private final IntSupplier liveContainers;
  private final RateWindow rate = new RateWindow(RATE_WINDOW_NANOS);
  private int containers = -1;
  private long containersAskedAt;
  private boolean shown;

  /**
   * @param startNanos when the map began, on the clock later calls use
   * @param liveContainers the function's live containers; a negative answer or an exception leaves them out
   */
  ProgressFrames(String label, long startNanos, IntSupplier liveContainers) {
    this.label = label;
    this.startNanos = startNanos;
    this.liveContainers = liveContainers;
  }

  /**
   * The line to draw at {@code nowNanos} for these counts ({@code total} negative while not known), or null while
   * none is shown yet.
   */
  String frame(long nowNanos, long done, long total, long failed) {
    long elapsed = nowNanos - startNanos;
    double recent = rate.sample(nowNanos, done);
    if (elapsed < FIRST_DRAW_NANOS) {
      return null;
    }
    if (!shown || nowNanos - containersAskedAt >= CONTAINERS_EVERY_NANOS) {
      containers = askLiveContainers();
      containersAskedAt = nowNanos;
    }
    shown = true;
    return new ProgressLine(label, done, total, failed, containers, elapsed, recent).render();
  }

  /** The line left once the map is over, or null when no bar was ever shown. */
  String last(long nowNanos, long done, long total, long failed) {
    return shown
        ? new ProgressLine(label, done, total, failed, -1, nowNanos - startNanos, Double.NaN).renderFinal()
        : null;
  }

  private int askLiveContainers() {
    try {
      return liveContainers.getAsInt();
    } catch (RuntimeException e) {
      return -1; // The bar is a courtesy: an engine that cannot say leaves the count out.
    }
  }
}
