package dev.shoal.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Shoal client's metrics, read from its counters whenever a registry is scraped: spawns by outcome and their
 * time to acknowledgement, spawns in flight, lookups of deployed functions, and results read.
 */
final class ShoalClientMetrics implements MeterBinder {
  private final ShoalClient client;

  ShoalClientMetrics(ShoalClient client) {
    this.client = client;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    ClientStats stats = client.stats();
    counter(registry, "shoal.client.spawns", "Spawns of deployed functions", stats.spawnsAcknowledged,
        "outcome", "acknowledged");
    counter(registry, "shoal.client.spawns", "Spawns of deployed functions", stats.spawnsFailed,
        "outcome", "failed");
    FunctionTimer.builder("shoal.client.spawn.duration", stats,
            s -> s.spawnsAcknowledged.sum() + s.spawnsFailed.sum(), s -> s.spawnNanos.sum(), TimeUnit.NANOSECONDS)
        .description("Time from a spawn to the server's acknowledgement, or its failure")
        .register(registry);
    Gauge.builder("shoal.client.spawns.in.flight", client, ShoalClient::inFlightSpawns)
        .description("Spawns on their way to the server")
        .register(registry);
    counter(registry, "shoal.client.lookups", "Lookups of deployed functions by name", stats.lookups);
    counter(registry, "shoal.client.results", "Results of calls read", stats.resultsRead, "outcome", "succeeded");
    counter(registry, "shoal.client.results", "Results of calls read", stats.failuresRead, "outcome", "failed");
  }

  private static void counter(MeterRegistry registry, String name, String description, LongAdder value,
      String... tags) {
    FunctionCounter.builder(name, value, LongAdder::sum).description(description).tags(tags).register(registry);
  }
}
