package dev.shoal.internal.dashboard;

import dev.shoal.internal.controlplane.Activity;
import dev.shoal.internal.controlplane.ActivityListener;
import dev.shoal.internal.controlplane.FunctionSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The control plane's Prometheus metrics, tagged by app and function name: counters and a latency histogram fed
 * as work happens, and gauges (queue depth, running inputs, live containers) read from the running functions at
 * each scrape. Functions of apps that stopped leave the gauges at the next scrape; their counters stay, as
 * Prometheus counters should.
 */
final class Metrics implements ActivityListener, AutoCloseable {
  /**
   * The bounds of the attempt-duration histogram: a handful of service-level bounds from 10 ms to 10 minutes, as a
   * dashboard's alert or SLO would name them. Micrometer's percentile histogram, used before, wrote about 70
   * buckets per function and outcome between 1 ms and 1 h, which a scrape carries every time and few queries use.
   */
  static final Duration[] ATTEMPT_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
      Duration.ofMinutes(10)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Activity activity;
  /** The gauges' values as of the last scrape, by app and function. */
  private final Map<List<String>, FunctionSummary> current = new ConcurrentHashMap<>();
  /** Guarded by this: the gauges registered, by app and function. */
  private final Map<List<String>, List<Meter>> gauges = new HashMap<>();
  private volatile boolean closed;

  Metrics(Activity activity) {
    this.activity = activity;
    activity.addListener(this);
  }

  @Override
  public void attemptStarted(String appName, String function) {
    if (!closed) {
      counter("shoal.inputs.started", "Attempts containers took: first tries and retries", appName, function)
          .increment();
    }
  }

  @Override
  public void attemptEnded(String appName, String function, long millis, boolean succeeded) {
    if (closed) {
      return;
    }
    Timer.builder("shoal.attempt.duration")
        .description("How long attempts took, from a container taking the input to its answer")
        .tags(tags(appName, function).and("outcome", succeeded ? "succeeded" : "failed"))
        .serviceLevelObjectives(ATTEMPT_BUCKETS)
        .register(registry)
        .record(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void inputFinished(String appName, String function, String outcome) {
    if (closed) {
      return;
    }
    switch (outcome) {
      case "succeeded" -> counter("shoal.inputs.succeeded", "Inputs whose final result is a success", appName,
          function).increment();
      case "cancelled" -> counter("shoal.inputs.cancelled", "Inputs cancelled before a final result", appName,
          function).increment();
      default -> counter("shoal.inputs.failed", "Inputs whose final result is a failure or a timeout", appName,
          function).increment();
    }
  }

  private Counter counter(String name, String description, String appName, String function) {
    return Counter.builder(name).description(description).tags(tags(appName, function)).register(registry);
  }

  private static Tags tags(String appName, String function) {
    return Tags.of("app", appName, "function", function);
  }

  /** The metrics in Prometheus's text format. */
  synchronized String scrape() {
    Map<List<String>, FunctionSummary> now = new HashMap<>();
    for (FunctionSummary f : activity.functions()) {
      // Two runs of one app at once share their series: the sum is what a reader of queue depth wants.
      now.merge(List.of(f.appName(), f.name()), f, Metrics::sum);
    }
    current.clear();
    current.putAll(now);
    for (List<String> key : Set.copyOf(gauges.keySet())) {
      if (!now.containsKey(key)) {
        gauges.remove(key).forEach(registry::remove);
      }
    }
    for (List<String> key : now.keySet()) {
      gauges.computeIfAbsent(key, k -> List.of(
          gauge("shoal.queue.depth", "Inputs waiting for a container", k, FunctionSummary::queued),
          gauge("shoal.inputs.running", "Inputs containers hold now", k, FunctionSummary::running),
          gauge("shoal.containers.live", "Containers starting, ready or stopping", k,
              FunctionSummary::liveContainers)));
    }
    return registry.scrape();
  }

  private Meter gauge(String name, String description, List<String> key,
      java.util.function.ToIntFunction<FunctionSummary> value) {
    return Gauge.builder(name, current, m -> {
      FunctionSummary f = m.get(key);
      return f == null ? 0 : value.applyAsInt(f);
    }).description(description).tags(tags(key.get(0), key.get(1))).register(registry);
  }

  private static FunctionSummary sum(FunctionSummary a, FunctionSummary b) {
    return new FunctionSummary(a.id(), a.appId(), a.appName(), a.name(), a.liveContainers() + b.liveContainers(),
        a.queued() + b.queued(), a.running() + b.running(), a.started() + b.started(),
        a.succeeded() + b.succeeded(), a.failed() + b.failed(), a.cancelled() + b.cancelled());
  }

  @Override
  public void close() {
    closed = true;
    registry.close();
  }
}
