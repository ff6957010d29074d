package dev.shoal.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warm-up until a throughput stops rising: maps of the timed size run until the last {@link #WINDOW} rates lie
 * within {@link #TOLERANCE} of their median and the newest is not above the oldest by more than that, after a
 * minimum time, or until a time limit. A fixed amount of warm-up measured the JIT instead: over process containers the rate of the same
 * map went on rising for 15–20 s (one caller and two container JVMs compiling on two cores), from 15,000/s to
 * 400,000/s and more, so a figure taken after 400,000 inputs was a point on that ramp. The ramp is reported beside
 * the figure ({@link #details()}), so a slow warm-up stays visible.
 */
final class SteadyState {
  static final int WINDOW = 3;
  static final double TOLERANCE = 0.10;

  private final Duration minimum;
  private final Duration limit;
  private final long start = System.nanoTime();
  private final List<Double> rates = new ArrayList<>();
  private long inputs;

  /**
   * @param minimum how long maps run at least: a ramp has plateaus (over two process containers the rate held near
   *     150,000/s for a few maps before it went on to 400,000/s), which three maps alone would take for the end
   * @param limit how long they may run at most
   */
  SteadyState(Duration minimum, Duration limit) {
    this.minimum = minimum;
    this.limit = limit;
  }

  /** Records one warm map's rate. */
  void add(int mapInputs, long nanos) {
    rates.add(mapInputs / (nanos / 1e9));
    inputs += mapInputs;
  }

  /** True once the rates have settled; false while they still move and the time limit allows more. */
  boolean steady() {
    long elapsed = System.nanoTime() - start;
    return (elapsed >= minimum.toNanos() && settled()) || elapsed > limit.toNanos();
  }

  private boolean settled() {
    if (rates.size() < WINDOW) {
      return false;
    }
    List<Double> last = new ArrayList<>(rates.subList(rates.size() - WINDOW, rates.size()));
    double oldest = last.get(0);
    double newest = last.get(WINDOW - 1);
    last.sort(null);
    double median = last.get(WINDOW / 2);
    return last.get(0) >= median * (1 - TOLERANCE) && last.get(WINDOW - 1) <= median * (1 + TOLERANCE)
        && newest <= oldest * (1 + TOLERANCE);
  }

  /** The warm-up, for a figure's details: how long, how many inputs, whether it settled, and each map's rate. */
  Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("warmUpSeconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
    details.put("warmUpMaps", rates.size());
    details.put("warmUpTimedInputs", inputs);
    details.put("warmUpSettled", settled());
    details.put("warmUpRates", rates.stream().map(r -> (double) Math.round(r)).toList());
    return details;
  }
}
