package dev.shoal.internal.store;

import java.time.Instant;
import java.util.List;

/**
 * The dashboard's record of each function over time, kept in the state store so that a restarted server still
 * charts the past: a compact series of {@link HistoryPoint}s (one per function and interval, written in batches
 * off the calls' path) and the newest failures of each function with their stack traces.
 *
 * <p>It is bounded: a function keeps at most {@link #FAILURES_KEPT} failures, and {@link #forgetBefore} drops
 * what is older than the writer's retention.
 */
public interface FunctionHistory {
  /** The most failures a function keeps; adding more forgets its oldest. */
  int FAILURES_KEPT = 50;

  /** Stores points, all in one write; a point of a function and instant already stored replaces it. */
  void addPoints(List<HistoryPoint> points);

  /** The points of a function at or after {@code since}, oldest first. */
  List<HistoryPoint> points(String functionId, Instant since);

  /**
   * Stores failures, all in one write; a failure already stored (same function, call and input) is left as it
   * was. A function then keeps its {@link #FAILURES_KEPT} newest by finishing time.
   */
  void addFailures(List<StoredFailure> failures);

  /** A function's failures, newest first, at most {@code max}. */
  List<StoredFailure> failures(String functionId, int max);

  /**
   * Forgets the points before {@code pointsCutoff} and the failures that finished before {@code failuresCutoff}.
   *
   * @return how many points and failures were forgotten
   */
  int forgetBefore(Instant pointsCutoff, Instant failuresCutoff);
}
