package dev.shoal.internal.dashboard;

import dev.shoal.internal.controlplane.Activity;
import dev.shoal.internal.controlplane.FunctionSummary;
import dev.shoal.internal.store.FunctionHistory;
import dev.shoal.internal.store.HistoryPoint;
import dev.shoal.internal.store.StoredFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the dashboard's history into the state store, so that a restarted server still charts the past: the
 * samples {@link History} takes every few seconds are folded into one {@link HistoryPoint} per function and
 * {@link #INTERVAL}, and each interval's points go out in one write once it has ended, with the failures that
 * appeared since. It runs on the dashboard's sampling thread, never on a call's path.
 *
 * <p>What it keeps: {@link #KEPT} of points (24 h at 1-minute resolution, 1,440 rows per function), and each
 * function's newest {@link FunctionHistory#FAILURES_KEPT} failures for {@link #FAILURES_KEPT}; older rows are
 * forgotten once an hour. A failed write is dropped with a warning: the charts get a gap, the calls go on.
 *
 * <p>A server killed with {@code kill -9} loses the interval in progress; a server that stops writes it first
 * ({@link #writeAll}).
 */
final class HistoryRecorder {
  static final Duration INTERVAL = Duration.ofMinutes(1);
  static final Duration KEPT = Duration.ofHours(24);
  static final Duration FAILURES_KEPT = Duration.ofDays(7);
  private static final Duration FORGET_EVERY = Duration.ofHours(1);
  /** Stack traces longer than this are cut: a failure row stays small whatever the user's code threw. */
  static final int MAX_ERROR_CHARS = 32 * 1024;

  private static final System.Logger LOG = System.getLogger(HistoryRecorder.class.getName());

  private final FunctionHistory store;
  private final Activity activity;
  /** The interval in progress of each function, by function id and interval start. Guarded by this. */
  private final Map<List<Object>, Interval> pending = new HashMap<>();
  /** The failures written, by function: what the next write leaves out. Guarded by this. */
  private final Map<String, Set<List<String>>> failuresWritten = new HashMap<>();
  private long lastForgotMs = Long.MIN_VALUE;

  HistoryRecorder(FunctionHistory store, Activity activity) {
    this.store = store;
    this.activity = activity;
  }

  /** The store the points are read back from. */
  FunctionHistory store() {
    return store;
  }

  /** Folds one sample of a function into its interval. */
  synchronized void note(String functionId, History.Point point) {
    long start = point.timeMs() - Math.floorMod(point.timeMs(), INTERVAL.toMillis());
    pending.computeIfAbsent(List.of(functionId, start), k -> new Interval(functionId, start)).add(point);
  }

  /** Writes the intervals that ended by {@code nowMs}, and the new failures with them. */
  synchronized void writeEnded(long nowMs) {
    write(nowMs, false);
  }

  /** Writes every interval, the one in progress too, and the new failures: what a dashboard that stops does. */
  synchronized void writeAll(long nowMs) {
    write(nowMs, true);
  }

  private void write(long nowMs, boolean all) {
    List<HistoryPoint> points = new ArrayList<>();
    for (Iterator<Interval> it = pending.values().iterator(); it.hasNext(); ) {
      Interval interval = it.next();
      if (all || interval.startMs + INTERVAL.toMillis() <= nowMs) {
        points.add(interval.point());
        it.remove();
      }
    }
    if (points.isEmpty()) {
      return;
    }
    try {
      store.addPoints(points);
      store.addFailures(newFailures());
      if (lastForgotMs == Long.MIN_VALUE || nowMs - lastForgotMs >= FORGET_EVERY.toMillis()) {
        store.forgetBefore(Instant.ofEpochMilli(nowMs).minus(KEPT), Instant.ofEpochMilli(nowMs).minus(FAILURES_KEPT));
        lastForgotMs = nowMs;
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "the dashboard could not store its history (" + e.getMessage()
          + "); its charts will have a gap");
    }
  }

  /** The failures of the running functions not written yet; forgets what it wrote of functions gone. */
  private List<StoredFailure> newFailures() {
    List<StoredFailure> added = new ArrayList<>();
    Set<String> running = new HashSet<>();
    for (FunctionSummary summary : activity.functions()) {
      running.add(summary.id());
      activity.function(summary.id()).ifPresent(function -> {
        Set<List<String>> written = failuresWritten.computeIfAbsent(summary.id(), id -> new HashSet<>());
        Set<List<String>> live = new HashSet<>();
        for (FunctionFailures.Failure failure : FunctionFailures.live(activity, function)) {
          List<String> key = List.of(failure.callId(), failure.input().id());
          live.add(key);
          if (!written.contains(key)) {
            added.add(stored(summary.id(), failure));
          }
        }
        // Only what the control plane still shows can come again; the set stays as small as that.
        written.clear();
        written.addAll(live);
      });
    }
    failuresWritten.keySet().retainAll(running);
    return added;
  }

  private static StoredFailure stored(String functionId, FunctionFailures.Failure failure) {
    String error = failure.input().error() == null ? "" : failure.input().error();
    if (error.length() > MAX_ERROR_CHARS) {
      error = error.substring(0, MAX_ERROR_CHARS) + "\n\t… (cut at " + MAX_ERROR_CHARS + " characters)";
    }
    return new StoredFailure(functionId, failure.callId(), failure.kind(),
        Instant.ofEpochMilli(failure.callCreatedAtMs()), failure.input().id(), failure.input().index(),
        failure.input().attempts(), failure.input().state(),
        failure.input().errorType() == null ? "" : failure.input().errorType(), error,
        Instant.ofEpochMilli(failure.input().finishedAtMs()));
  }

  /**
   * The samples of one function in one interval: their mean throughput, the last latency percentiles, and the
   * most inputs queued and containers seen, so that a short peak still shows at a minute's resolution.
   */
  private static final class Interval {
    private final String functionId;
    private final long startMs;
    private double throughputSum;
    private int throughputs;
    private long p50Ms;
    private long p99Ms;
    private int queued;
    private int containers;

    Interval(String functionId, long startMs) {
      this.functionId = functionId;
      this.startMs = startMs;
    }

    void add(History.Point point) {
      if (!Double.isNaN(point.throughput())) {
        throughputSum += point.throughput();
        throughputs++;
      }
      p50Ms = point.p50Ms();
      p99Ms = point.p99Ms();
      queued = Math.max(queued, point.queued());
      containers = Math.max(containers, point.containers());
    }

    HistoryPoint point() {
      return new HistoryPoint(functionId, Instant.ofEpochMilli(startMs),
          throughputs == 0 ? Double.NaN : throughputSum / throughputs, p50Ms, p99Ms, queued, containers);
    }
  }
}
