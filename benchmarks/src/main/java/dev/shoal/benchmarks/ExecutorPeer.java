package dev.shoal.benchmarks;

import java.util.ArrayList;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor of in-process overhead: the same trivial work handed to a plain {@link ExecutorService} in this JVM,
 * with no serialisation, no RPC and no process boundary. Shoal cannot beat it; the ratio says what isolation costs.
 */
public final class ExecutorPeer {
  private ExecutorPeer() {}

  /**
   * Inputs per second for x -> x + 1 over {@code threads} threads, results taken in input order as a map's are;
   * warmed and timed as Shoal's map is, the median of three.
   */
  public static Figure mapThroughput(int threads, Sizes sizes) throws Exception {
    List<Integer> inputs = Inputs.upTo(sizes.mapInputs());
    List<Integer> warmInputs = Inputs.upTo(sizes.warmInputs());
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (long warmed = 0; warmed < sizes.warmUpInputs(); warmed += warmInputs.size()) {
        Inputs.checkIncrementedSum(incrementAll(pool, warmInputs), warmInputs.size());
      }
      SteadyState steady = new SteadyState(Duration.ofSeconds(sizes.steadyMinSeconds()),
          Duration.ofSeconds(sizes.steadyWaitSeconds()));
      while (!steady.steady()) {
        long start = System.nanoTime();
        long sum = incrementAll(pool, inputs);
        steady.add(inputs.size(), System.nanoTime() - start);
        Inputs.checkIncrementedSum(sum, inputs.size());
      }
      double[] rates = new double[MapThroughput.TIMED_MAPS];
      for (int i = 0; i < rates.length; i++) {
        long start = System.nanoTime();
        long sum = incrementAll(pool, inputs);
        rates[i] = inputs.size() / ((System.nanoTime() - start) / 1e9);
        Inputs.checkIncrementedSum(sum, inputs.size());
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("inputs", inputs.size());
      details.put("threads", threads);
      details.put("inputsPerSecondEachTime", Arrays.stream(rates).boxed().toList());
      details.putAll(steady.details());
      Arrays.sort(rates);
      return Figure.of(rates[rates.length / 2], details);
    }
  }

  /** submit + get of x -> x on one thread, one call at a time; the value is p50 in ms, the details hold the rest. */
  public static Figure roundTrips(Sizes sizes) throws Exception {
    try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
      for (int i = 0; i < sizes.warmCalls(); i++) {
        roundTrip(pool, i);
      }
      long[] nanos = new long[sizes.roundTrips()];
      for (int i = 0; i < nanos.length; i++) {
        long start = System.nanoTime();
        roundTrip(pool, i);
        nanos[i] = System.nanoTime() - start;
      }
      Latencies latencies = new Latencies(nanos);
      return Figure.of(latencies.percentileMillis(50), latencies.summary());
    }
  }

  private static long incrementAll(ExecutorService pool, List<Integer> inputs)
      throws InterruptedException, ExecutionException {
    List<Future<Integer>> results = new ArrayList<>(inputs.size());
    for (Integer x : inputs) {
      results.add(pool.submit(() -> x + 1));
    }
    long sum = 0;
    for (Future<Integer> result : results) {
      sum += result.get();
    }
    return sum;
  }

  private static void roundTrip(ExecutorService pool, int x) throws InterruptedException, ExecutionException {
    Integer boxed = x;
    if (!pool.submit(() -> boxed).get().equals(boxed)) {
      throw new IllegalStateException("the executor returned another value than it was given");
    }
  }
}
