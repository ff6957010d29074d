package dev.shoal.benchmarks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One measured figure, or why there is none. A measurement that throws becomes a failed figure carrying the error,
 * so one broken scenario shows up in the table instead of ending the run or vanishing from it.
 *
 * @param details what explains the value (sizes, container counts, spread), written to the JSON as is
 */
public record Figure(Status status, double value, String error, Map<String, Object> details) {
  public enum Status { OK, FAILED }

  public Figure {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public static Figure of(double value, Map<String, Object> details) {
    return new Figure(Status.OK, value, null, details);
  }

  public static Figure failed(String error, Map<String, Object> details) {
    return new Figure(Status.FAILED, Double.NaN, error, details);
  }

  /**
   * Says what is being measured, and runs it as {@link #capture} does. The machine's load average when it started
   * goes into the details: on a shared machine it tells a slow figure from a busy moment.
   */
  public static Figure measure(String what, Callable<Figure> measurement) {
    double load = Machine.loadAverageNow();
    System.out.printf("  measuring %s (load average %.2f) …%n", what, load);
    Figure figure = capture(what, measurement);
    Map<String, Object> details = new LinkedHashMap<>(figure.details());
    details.put("loadAverageAtStart", load);
    return new Figure(figure.status(), figure.value(), figure.error(), details);
  }

  /** Runs a measurement; whatever it throws is reported as a failed figure, and its stack trace goes to stderr. */
  public static Figure capture(String what, Callable<Figure> measurement) {
    try {
      return measurement.call();
    } catch (Throwable e) {
      System.err.println("benchmark failed: " + what);
      e.printStackTrace();
      return failed(describe(e), Map.of());
    }
  }

  public boolean ok() {
    return status == Status.OK;
  }

  /**
   * The same measurement seen through another of its details: one set of round trips gives a p50 figure and a
   * p99 figure. A failed figure stays failed.
   */
  public Figure withValueOf(String detail) {
    if (!ok()) {
      return this;
    }
    Object value = details.get(detail);
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("the figure has no numeric detail '" + detail + "': " + details);
    }
    return of(number.doubleValue(), details);
  }

  /** The exception and its causes, on one line. */
  static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(e.toString());
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      text.append(" <- ").append(cause);
    }
    return text.toString();
  }
}
