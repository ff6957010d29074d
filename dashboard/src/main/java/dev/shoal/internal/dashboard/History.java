package dev.shoal.internal.dashboard;

import dev.shoal.internal.controlplane.Activity;
import dev.shoal.internal.controlplane.AppView;
import dev.shoal.internal.controlplane.FunctionSummary;
import dev.shoal.internal.controlplane.LatencyView;
import dev.shoal.internal.store.HistoryPoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The recent past of each function of the running apps, for the page's charts: every {@link #sample} notes its
 * throughput since the one before, its attempts' latency percentiles, its queue and its live containers. It keeps
 * the last {@link #KEPT} samples (an hour at one every 5 s) in memory, and a function's samples there go when its
 * app stops.
 *
 * <p>With a {@link HistoryRecorder} (a server's dashboard, over its state store) the samples are also written to
 * the store at a minute's resolution, and a function's history is the stored minutes before its first sample in
 * memory followed by those samples: a restarted server charts the past 24 hours. Without one (the embedded
 * engine's dashboard) the history starts empty with the dashboard.
 *
 * <p>The sampling is driven from outside ({@link Dashboard} on a daemon thread, tests by hand), and the time of
 * each sample comes from the clock given, so that tests fix both.
 */
final class History {
  static final int KEPT = 720;

  private final Activity activity;
  private final Clock clock;
  private final Optional<HistoryRecorder> recorder;
  /** Guarded by this. */
  private final Map<String, Series> byFunction = new HashMap<>();

  History(Activity activity, Clock clock, Optional<HistoryRecorder> recorder) {
    this.activity = activity;
    this.clock = clock;
    this.recorder = recorder;
  }

  /** One point in a function's history; throughput is NaN for its first, which has nothing to compare with. */
  record Point(long timeMs, double throughput, long p50Ms, long p99Ms, int queued, int containers) {}

  /** Takes one sample of every function of every running app. */
  void sample() {
    long now = clock.millis();
    Set<String> seen = new HashSet<>();
    for (AppView app : activity.apps()) {
      if (app.state().equals("stopped")) {
        continue;
      }
      for (FunctionSummary f : app.functions()) {
        seen.add(f.id());
        LatencyView latency = activity.function(f.id()).map(v -> v.latency()).orElse(null);
        Point point;
        synchronized (this) {
          point = byFunction.computeIfAbsent(f.id(), id -> new Series()).add(now, f, latency);
        }
        recorder.ifPresent(r -> r.note(f.id(), point));
      }
    }
    synchronized (this) {
      byFunction.keySet().retainAll(seen);
    }
    recorder.ifPresent(r -> r.writeEnded(now));
  }

  /** Takes a last sample and stores every interval, the one in progress too; nothing without a recorder. */
  void sampleAndStoreAll() {
    if (recorder.isPresent()) {
      sample();
      recorder.get().writeAll(clock.millis());
    }
  }

  /** The history of {@code functionId}, oldest first; empty when it has none. */
  Optional<Map<String, Object>> of(String functionId) {
    List<Point> recent;
    synchronized (this) {
      Series series = byFunction.get(functionId);
      recent = series == null ? List.of() : series.points();
    }
    List<Point> all = new ArrayList<>();
    recorder.ifPresent(r -> {
      long firstRecentMs = recent.isEmpty() ? Long.MAX_VALUE : recent.getFirst().timeMs();
      Instant since = clock.instant().minus(HistoryRecorder.KEPT);
      for (HistoryPoint stored : r.store().points(functionId, since)) {
        if (stored.at().toEpochMilli() < firstRecentMs) {
          all.add(new Point(stored.at().toEpochMilli(), stored.throughput(), stored.p50Ms(), stored.p99Ms(),
              stored.queued(), stored.containers()));
        }
      }
    });
    all.addAll(recent);
    return all.isEmpty() ? Optional.empty() : Optional.of(columns(all));
  }

  /** The points of one function. */
  static final class Series {
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private long lastFinished = -1;
    private long lastTimeMs;

    Point add(long timeMs, FunctionSummary f, LatencyView latency) {
      long finished = f.succeeded() + f.failed() + f.cancelled();
      double throughput = lastFinished < 0 || timeMs <= lastTimeMs ? Double.NaN
          : (finished - lastFinished) * 1000.0 / (timeMs - lastTimeMs);
      lastFinished = finished;
      lastTimeMs = timeMs;
      Point point = new Point(timeMs, throughput, latency == null ? 0 : latency.p50Ms(),
          latency == null ? 0 : latency.p99Ms(), f.queued(), f.liveContainers());
      points.addLast(point);
      while (points.size() > KEPT) {
        points.removeFirst();
      }
      return point;
    }

    /** The points, oldest first. */
    List<Point> points() {
      return List.copyOf(points);
    }
  }

  /**
   * Column by column, as a chart takes it: times in seconds, and a null where a point has no throughput, which a
   * chart leaves as a gap.
   */
  static Map<String, Object> columns(List<Point> all) {
    return Map.of(
        "timeS", all.stream().map(p -> p.timeMs() / 1000.0).toList(),
        "throughput", all.stream().map(p -> Double.isNaN(p.throughput()) ? null : p.throughput())
            .collect(java.util.stream.Collectors.toList()),
        "p50Ms", all.stream().map(Point::p50Ms).toList(),
        "p99Ms", all.stream().map(Point::p99Ms).toList(),
        "queued", all.stream().map(Point::queued).toList(),
        "containers", all.stream().map(Point::containers).toList());
  }
}
