package dev.shoal.internal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One interval of a function's work as the dashboard charts it: its throughput over the interval, its attempts'
 * latency percentiles at the end of it, and the most inputs queued and containers alive during it.
 *
 * @param at the start of the interval; a function has at most one point per instant
 * @param throughput inputs finished per second over the interval; NaN when unknown (the interval a function was
 *     first seen in has nothing to compare with)
 */
public record HistoryPoint(String functionId, Instant at, double throughput, long p50Ms, long p99Ms, int queued,
    int containers) {
  public HistoryPoint {
    Objects.requireNonNull(functionId, "functionId");
    Objects.requireNonNull(at, "at");
  }
}
