package dev.shoal.benchmarks;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.benchmarks.Row.Better;
import dev.shoal.benchmarks.Row.Peer;
import dev.shoal.benchmarks.Row.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code remote()} round trips to one warm container, one call at a time, as p50, p99 and p99.9. Beside them:
 * loopback TCP between two JVMs (the floor for a process container) and an ExecutorService's submit + get (the
 * floor in-process).
 */
final class RoundTrip {
  /** Calls in each warm-up round whose rate {@link SteadyState} watches. */
  private static final int WARM_ROUND = 1_000;

  private RoundTrip() {}

  static List<Row> rows(Sizes sizes) {
    Figure tcp = Figure.measure("loopback TCP round trips", () -> TcpEchoPeer.roundTrips(sizes));
    Figure executor = Figure.measure("ExecutorService round trips", () -> ExecutorPeer.roundTrips(sizes));
    List<Row> rows = new ArrayList<>();
    for (Backend backend : List.of(Backend.PROCESSES, Backend.THREADS)) {
      String kind = ShoalRuns.kind(backend);
      Figure shoal = Figure.measure("Shoal remote() round trips, " + kind + " container",
          () -> ShoalScenario.measure(ShoalScenario.Kind.REMOTE, backend, 1, sizes));
      for (String percentile : List.of("p50", "p99", "p99.9")) {
        String detail = percentile + "Ms";
        List<Peer> peers = new ArrayList<>();
        if (backend == Backend.PROCESSES) {
          peers.add(new Peer("loopback TCP, JVM to JVM", tcp.withValueOf(detail)));
        }
        peers.add(new Peer("ExecutorService submit+get", executor.withValueOf(detail)));
        List<Target> targets = backend != Backend.PROCESSES ? List.of() : switch (percentile) {
          case "p50" -> List.of(new Target("issue 20", 0.2, "≤ 0.2 ms"), new Target("issue 7", 0.5, "≤ 0.5 ms"),
              new Target("core step 1", 2, "≤ 2 ms"));
          case "p99" -> List.of(new Target("issue 20", 1, "≤ 1 ms"));
          default -> List.of();
        };
        rows.add(new Row("remote." + backend.name().toLowerCase(Locale.ROOT) + "." + percentile,
            String.format("remote() warm round trip %s, %,d calls, %s container", percentile, sizes.roundTrips(),
                kind),
            "ms", Better.LOWER, shoal.withValueOf(detail), peers, targets));
      }
    }
    return rows;
  }

  /** Runs in a {@link ShoalScenario} JVM. */
  static Figure shoalRoundTrips(Backend backend, Sizes sizes) throws InterruptedException {
    try (AppRun run = ShoalRuns.start(backend)) {
      for (int i = 0; i < sizes.warmCalls(); i++) {
        call(i);
      }
      // Then rounds of calls until their rate stops rising. 2,000 warm calls alone timed the JIT: over a process
      // container, with the machine's load average at 8, the caller's CPU per call went from about 1,000 µs to
      // 90-110 µs and the p50 from 0.55 ms to 0.13-0.19 ms only after some 30,000 calls, so the 10,000 timed calls
      // that followed the 2,000 were a slice of that ramp.
      SteadyState steady = new SteadyState(Duration.ofSeconds(sizes.steadyMinSeconds()),
          Duration.ofSeconds(sizes.steadyWaitSeconds() / 2), "Rounds", "Calls");
      while (!steady.steady()) {
        long start = System.nanoTime();
        for (int i = 0; i < WARM_ROUND; i++) {
          call(i);
        }
        steady.add(WARM_ROUND, System.nanoTime() - start);
      }
      long[] nanos = new long[sizes.roundTrips()];
      for (int i = 0; i < nanos.length; i++) {
        long start = System.nanoTime();
        call(i);
        nanos[i] = System.nanoTime() - start;
      }
      Latencies latencies = new Latencies(nanos);
      Map<String, Object> details = new LinkedHashMap<>(latencies.summary());
      details.putAll(steady.details());
      return Figure.of(latencies.percentileMillis(50), details);
    } finally {
      ShoalRuns.awaitNoContainers();
    }
  }

  private static void call(int x) {
    if (x % 500 == 0) {
      ChildJvm.Child.progress(x + " calls");
    }
    Integer result = BenchmarkApp.echo.remote(x);
    if (result != x) {
      throw new IllegalStateException("echo returned " + result + " for " + x);
    }
  }
}
