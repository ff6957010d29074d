package dev.shoal.benchmarks;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.RemoteFunction;
import dev.shoal.benchmarks.Row.Better;
import dev.shoal.benchmarks.Row.Peer;
import dev.shoal.benchmarks.Row.Target;
import dev.shoal.internal.controlplane.PoolStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code map} throughput of x -> x + 1 over warm containers, in input order, with 1, 2 and 4 containers of each
 * kind. Beside it: an ExecutorService with as many threads, and JobRunr.
 */
final class MapThroughput {
  static final int[] CONTAINER_COUNTS = {1, 2, 4};
  private static final int MAX_WARM_MAPS = 20;

  private MapThroughput() {}

  static List<Row> rows(Sizes sizes, Figure jobRunr) {
    Map<Integer, Figure> executor = new LinkedHashMap<>();
    for (int n : CONTAINER_COUNTS) {
      executor.put(n, Figure.measure("ExecutorService map, " + n + " threads",
          () -> ExecutorPeer.mapThroughput(n, sizes)));
    }
    List<Row> rows = new ArrayList<>();
    for (Backend backend : List.of(Backend.PROCESSES, Backend.THREADS)) {
      for (int n : CONTAINER_COUNTS) {
        String kind = ShoalRuns.kind(backend);
        String title = String.format("map x->x+1, %,d inputs, %d %s container%s", sizes.mapInputs(), n, kind,
            n == 1 ? "" : "s");
        Figure shoal = Figure.measure("Shoal " + title,
            () -> ShoalScenario.measure(ShoalScenario.Kind.MAP, backend, n, sizes));
        List<Target> targets = new ArrayList<>();
        if (backend == Backend.PROCESSES) {
          targets.add(new Target("issue 7", 100_000, "≥ 100,000/s"));
          if (n == 2) {
            targets.add(new Target("core step 1", 20_000, "≥ 20,000/s"));
          }
        }
        rows.add(new Row("map." + backend.name().toLowerCase(java.util.Locale.ROOT) + "." + n, title, "inputs/s",
            Better.HIGHER, shoal,
            List.of(new Peer("ExecutorService, " + n + " thread" + (n == 1 ? "" : "s"), executor.get(n)),
                new Peer("JobRunr, in-memory", jobRunr)),
            targets));
      }
    }
    return rows;
  }

  /** Runs in a {@link ShoalScenario} JVM. */
  static Figure shoalMap(Backend backend, int containers, Sizes sizes) throws InterruptedException {
    RemoteFunction<Integer, Integer> increment = BenchmarkApp.incrementOn(containers);
    List<Integer> inputs = Inputs.upTo(sizes.mapInputs());
    List<Integer> warmInputs = Inputs.upTo(sizes.warmInputs());
    try (AppRun run = ShoalRuns.start(backend)) {
      // Containers start as the first map's queue asks for them; keep warming until all of them are up and each
      // has served inputs, or the function could still be scaling up while it is timed.
      int warmMaps = 0;
      do {
        Inputs.checkIncrementedSum(ShoalRuns.sum(increment.map(warmInputs)), warmInputs.size());
        warmMaps++;
        ChildJvm.Child.progress("warm map " + warmMaps);
      } while (ShoalRuns.pool(increment.name()).liveContainers() < containers && warmMaps < MAX_WARM_MAPS);
      Inputs.checkIncrementedSum(ShoalRuns.sum(increment.map(warmInputs)), warmInputs.size());
      int warmContainers = ShoalRuns.pool(increment.name()).liveContainers();

      long start = System.nanoTime();
      long sum = ShoalRuns.sum(increment.map(inputs));
      double seconds = (System.nanoTime() - start) / 1e9;
      Inputs.checkIncrementedSum(sum, inputs.size());

      PoolStats pool = ShoalRuns.pool(increment.name());
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("inputs", inputs.size());
      details.put("seconds", seconds);
      details.put("warmMaps", warmMaps + 1);
      details.put("containersWhenTimingStarted", warmContainers);
      details.put("containersHighWater", pool.highWaterContainers());
      return Figure.of(inputs.size() / seconds, details);
    } finally {
      ShoalRuns.awaitNoContainers();
    }
  }
}
