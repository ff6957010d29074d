package dev.shoal.internal.client;

import java.util.Locale;

/**
 * The text of one progress line, from a snapshot of a map's progress: a bar and done of total once the total is
 * known (a count before), the rate, failures, the function's live containers, the time so far and, with a total and
 * a rate, the time left. Before the first result it says that containers are starting rather than showing a rate
 * of zero.
 *
 * @param done inputs finished (or, for a detached map, sent)
 * @param total all inputs, or negative while not known
 * @param containers the function's live containers, or negative when not known
 * @param elapsedNanos time since the map began
 * @param rate inputs a second recently, or NaN when there is no measure yet
 */
record ProgressLine(String label, long done, long total, long failed, int containers, long elapsedNanos,
    double rate) {
  private static final int WIDTH = 30;

  /** The line while the map runs. */
  String render() {
    StringBuilder b = counts();
    if (done == 0 && (total != 0)) {
      b.append(containers > 0 ? " · starting " + containers + (containers == 1 ? " container" : " containers")
          : " · waiting for containers");
    } else {
      appendRate(b, rate);
      appendFailedAndContainers(b, containers);
    }
    b.append(" · ").append(duration(elapsedNanos));
    if (total > done && done > 0 && rate > 0) {
      b.append(" · ETA ").append(duration((long) ((total - done) / rate * 1e9)));
    }
    return b.toString();
  }

  /** The line left on the terminal once the map is over: its average rate and how long it took. */
  String renderFinal() {
    StringBuilder b = counts();
    double seconds = elapsedNanos / 1e9;
    appendRate(b, seconds > 0 ? done / seconds : Double.NaN);
    appendFailedAndContainers(b, -1);
    return b.append(" · ").append(duration(elapsedNanos)).toString();
  }

  private StringBuilder counts() {
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
    return b;
  }

  private static void appendRate(StringBuilder b, double rate) {
    if (!Double.isNaN(rate)) {
      b.append(String.format(Locale.ROOT, " · %.1f/s", rate));
    }
  }

  private void appendFailedAndContainers(StringBuilder b, int shownContainers) {
    if (failed > 0) {
      b.append(" · ").append(failed).append(" failed");
    }
    if (shownContainers >= 0) {
      b.append(" · ").append(shownContainers).append(shownContainers == 1 ? " container" : " containers");
    }
  }

  /** A duration as a person reads it on a progress line: 45s, 3m07s, 2h05m. */
  static String duration(long nanos) {
    long seconds = Math.max(0, Math.round(nanos / 1e9));
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
  }
}
