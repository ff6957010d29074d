package dev.shoal.internal.store.memory;

import dev.shoal.internal.store.FunctionHistory;
import dev.shoal.internal.store.HistoryPoint;
import dev.shoal.internal.store.StoredFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** The dashboard's history of each function, in memory; one monitor guards it. */
final class MemoryFunctionHistory implements FunctionHistory {
  /** Newest first by finishing time, then by call and input, so that the order is total. */
  private static final Comparator<StoredFailure> NEWEST_FIRST = Comparator
      .comparing(StoredFailure::finishedAt).reversed()
      .thenComparing(StoredFailure::callId)
      .thenComparing(StoredFailure::inputId);

  private final Map<String, NavigableMap<Instant, HistoryPoint>> points = new HashMap<>();
  private final Map<String, List<StoredFailure>> failures = new HashMap<>();

  @Override
  public synchronized void addPoints(List<HistoryPoint> added) {
    for (HistoryPoint point : added) {
      points.computeIfAbsent(point.functionId(), id -> new TreeMap<>()).put(point.at(), point);
    }
  }

  @Override
  public synchronized List<HistoryPoint> points(String functionId, Instant since) {
    NavigableMap<Instant, HistoryPoint> series = points.get(functionId);
    return series == null ? List.of() : List.copyOf(series.tailMap(since, true).values());
  }

  @Override
  public synchronized void addFailures(List<StoredFailure> added) {
    for (StoredFailure failure : added) {
      List<StoredFailure> kept = failures.computeIfAbsent(failure.functionId(), id -> new ArrayList<>());
      boolean stored = kept.stream().anyMatch(f -> f.callId().equals(failure.callId())
          && f.inputId().equals(failure.inputId()));
      if (!stored) {
        kept.add(failure);
        kept.sort(NEWEST_FIRST);
        while (kept.size() > FAILURES_KEPT) {
          kept.removeLast();
        }
      }
    }
  }

  @Override
  public synchronized List<StoredFailure> failures(String functionId, int max) {
    List<StoredFailure> kept = failures.getOrDefault(functionId, List.of());
    return List.copyOf(kept.subList(0, Math.min(max, kept.size())));
  }

  @Override
  public synchronized int forgetBefore(Instant pointsCutoff, Instant failuresCutoff) {
    int forgotten = 0;
    for (Iterator<NavigableMap<Instant, HistoryPoint>> it = points.values().iterator(); it.hasNext(); ) {
      NavigableMap<Instant, HistoryPoint> old = it.next().headMap(pointsCutoff, false);
      forgotten += old.size();
      old.clear();
    }
    points.values().removeIf(Map::isEmpty);
    for (List<StoredFailure> kept : failures.values()) {
      int before = kept.size();
      kept.removeIf(f -> f.finishedAt().isBefore(failuresCutoff));
      forgotten += before - kept.size();
    }
    failures.values().removeIf(List::isEmpty);
    return forgotten;
  }
}
