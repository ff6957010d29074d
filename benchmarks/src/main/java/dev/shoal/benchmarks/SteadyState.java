package dev.shoal.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warm-up until a throughput stops rising: maps of the timed size (or rounds of calls) run until the last
 * {@link #WINDOW} rates lie within {@link #TOLERANCE} of their median and the newest is not above the oldest by
 * more than that, after a minimum time, or until a time limit. A fixed amount of warm-up measured the JIT instead:
 * over process containers the rate of the same map went on rising for 15–20 s (one caller and two container JVMs
 * compiling on two cores), from 15,000/s to 400,000/s and more, so a figure taken after 400,000 inputs was a point
 * on that ramp. The ramp is reported beside the figure ({@link #details()}), so a slow warm-up stays visible.
 */
final class SteadyState {
  static final int WINDOW = 3;
  static final double TOLERANCE = 0.10;

  private final Duration minimum;
  private final Duration limit;
  /** What one rate is taken over and what it counts, for the details: "Maps" and "Inputs", say. */
  private final String batches;
  private final String units;
  private final long start = System.nanoTime();
  private final List<Double> rates = new ArrayList<>();
  private long counted;

  /**
   * @param minimum how long maps run at least: a ramp has plateaus (over two process containers the rate held near
   *     150,000/s for a few maps before it went on to 400,000/s), which three maps alone would take for the end
   * @param limit how long they may run at most
   */
  SteadyState(Duration minimum, Duration limit) {
    this(minimum, limit, "Maps", "Inputs");
  }

  /** As {@link #SteadyState(Duration, Duration)}, for rates of other batches ("Rounds") of other units ("Calls"). */
  SteadyState(Duration minimum, Duration limit, String batches, String units) {
    this.minimum = minimum;
    this.limit = limit;
    this.batches = batches;
    this.units = units;
  }

  /** Records one warm batch's rate: {@code count} units in {@code nanos}. */
  void add(int count, long nanos) {
    rates.add(count / (nanos / 1e9));
    counted += count;
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

  /** The warm-up, for a figure's details: how long, how many units, whether it settled, and each batch's rate. */
  Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("warmUpSeconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
    details.put("warmUp" + batches, rates.size());
    details.put("warmUpTimed" + units, counted);
    details.put("warmUpSettled", settled());
    details.put("warmUpRates", rates.stream().map(r -> (double) Math.round(r)).toList());
    return details;
  }
}
