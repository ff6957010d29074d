package dev.shoal.benchmarks;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.RemoteFunction;
import dev.shoal.benchmarks.Row.Better;
import dev.shoal.benchmarks.Row.Peer;
import dev.shoal.benchmarks.Row.Target;
import dev.shoal.internal.controlplane.PoolStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code map} throughput of x -> x + 1 over warm containers, in input order, with 1, 2 and 4 containers of each
 * kind; the median of three timed maps. Beside it: an ExecutorService with as many threads, and JobRunr.
 */
final class MapThroughput {
  static final int[] CONTAINER_COUNTS = {1, 2, 4};
  static final int TIMED_MAPS = 3;
  private static final int MAX_WARM_MAPS = 100;
  private static final Duration MAX_WARM_UP = Duration.ofSeconds(20);

  private MapThroughput() {}

  static List<Row> rows(Sizes sizes, Figure jobRunr) {
    Map<Integer, Figure> executor = new LinkedHashMap<>();
    for (int n : CONTAINER_COUNTS) {
      executor.put(n, Figure.measure("ExecutorService map, " + plural(n, "thread"),
          () -> ExecutorPeer.mapThroughput(n, sizes)));
    }
    List<Row> rows = new ArrayList<>();
    for (Backend backend : List.of(Backend.PROCESSES, Backend.THREADS)) {
      for (int n : CONTAINER_COUNTS) {
        String kind = ShoalRuns.kind(backend);
        String title = String.format("map x->x+1, %,d inputs, %s", sizes.mapInputs(), plural(n, kind + " container"));
        Figure shoal = Figure.measure("Shoal " + title,
            () -> ShoalScenario.measure(ShoalScenario.Kind.MAP, backend, n, sizes));
        List<Target> targets = new ArrayList<>();
        if (backend == Backend.PROCESSES) {
          targets.add(new Target("issue 20", 400_000, "≥ 400,000/s"));
          targets.add(new Target("issue 7", 100_000, "≥ 100,000/s"));
          if (n == 2) {
            targets.add(new Target("core step 1", 20_000, "≥ 20,000/s"));
          }
        }
        rows.add(new Row("map." + backend.name().toLowerCase(Locale.ROOT) + "." + n, title, "inputs/s",
            Better.HIGHER, shoal,
            List.of(new Peer("ExecutorService, " + plural(n, "thread"), executor.get(n)),
                new Peer("JobRunr, in-memory", jobRunr)),
            targets));
      }
    }
    return rows;
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** Runs in a {@link ShoalScenario} JVM. */
  static Figure shoalMap(Backend backend, int containers, Sizes sizes) throws InterruptedException {
    RemoteFunction<Integer, Integer> increment = BenchmarkApp.incrementOn(containers);
    List<Integer> inputs = Inputs.upTo(sizes.mapInputs());
    List<Integer> warmInputs = Inputs.upTo(sizes.warmInputs());
    try (AppRun run = ShoalRuns.start(backend)) {
      // Containers start as the first map's queue asks for them, so warm-up lasts until every one is up and has
      // served inputs. It also has to outlast the JIT: throughput over one pool of containers keeps rising for the
      // first few hundred thousand inputs, in the caller and the control plane as in the containers.
      int warmMaps = 0;
      long warmedInputs = 0;
      long warmUpDeadline = System.nanoTime() + MAX_WARM_UP.toNanos();
      while (warmMaps < MAX_WARM_MAPS && (ShoalRuns.pool(increment.name()).liveContainers() < containers
          || (warmedInputs < sizes.warmUpInputs() && System.nanoTime() < warmUpDeadline))) {
        Inputs.checkIncrementedSum(ShoalRuns.sum(increment.map(warmInputs)), warmInputs.size());
        warmMaps++;
        warmedInputs += warmInputs.size();
        ChildJvm.Child.progress("warm map " + warmMaps);
      }
      int warmContainers = ShoalRuns.pool(increment.name()).liveContainers();
      // Then maps of the timed size until the rate stops rising (see SteadyState).
      SteadyState steady = new SteadyState(Duration.ofSeconds(sizes.steadyMinSeconds()),
          Duration.ofSeconds(sizes.steadyWaitSeconds()));
      while (!steady.steady()) {
        long start = System.nanoTime();
        long sum = ShoalRuns.sum(increment.map(inputs));
        steady.add(inputs.size(), System.nanoTime() - start);
        Inputs.checkIncrementedSum(sum, inputs.size());
      }

      // The median of a few timed maps: one burst of load from elsewhere on a shared machine moves it less.
      double[] rates = new double[TIMED_MAPS];
      for (int i = 0; i < rates.length; i++) {
        long start = System.nanoTime();
        long sum = ShoalRuns.sum(increment.map(inputs));
        rates[i] = inputs.size() / ((System.nanoTime() - start) / 1e9);
        Inputs.checkIncrementedSum(sum, inputs.size());
      }

      PoolStats pool = ShoalRuns.pool(increment.name());
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("inputs", inputs.size());
      details.put("inputsPerSecondEachTime", Arrays.stream(rates).boxed().toList());
      details.put("warmUpInputs", warmedInputs);
      details.put("containersWhenTimingStarted", warmContainers);
      details.put("containersHighWater", pool.highWaterContainers());
      details.putAll(steady.details());
      Arrays.sort(rates);
      return Figure.of(rates[rates.length / 2], details);
    } finally {
      ShoalRuns.awaitNoContainers();
    }
  }
}
