package dev.shoal.benchmarks;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.RemoteFunction;
import dev.shoal.benchmarks.Row.Better;
import dev.shoal.benchmarks.Row.Peer;
import dev.shoal.benchmarks.Row.Target;
import dev.shoal.examples.Embeddings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Batching on the embeddings example: its model in one process container, embedding sentences through the
 * batched method (up to 64 per matrix product, 20 ms wait) and through a plain method that embeds one sentence
 * per call. Beside them, the model's own {@code embed} called directly in one JVM on batches of the same size:
 * the ceiling that the batching machinery can at best reach. And the latency that single callers see when many
 * call at once, against the batch's wait plus one batch's execution.
 */
final class BatchedThroughput {
  /** Concurrent callers of {@code remote()} in the latency measurement: enough to fill a batch. */
  static final int CALLERS = 64;
  private static final int TIMED_MAPS = 3;
  private static final int WARM_MAPS = 2;

  private BatchedThroughput() {}

  static List<Row> rows(Sizes sizes) {
    Figure all = Figure.measure("Shoal batched and unbatched embeddings",
        () -> ShoalScenario.measure(ShoalScenario.Kind.BATCHED, Backend.PROCESSES, 1, sizes));
    Figure batched = all.withValueOf("batchedPerSecond");
    Figure unbatched = all.withValueOf("unbatchedPerSecond");
    Figure direct = all.withValueOf("directPerSecond");
    Figure p95 = all.withValueOf("remoteP95Ms");
    int inputs = sizes.batchedInputs();
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("batched.vs.unbatched",
        String.format("embeddings example, %,d sentences, 1 process container: batched (64, 20 ms)", inputs),
        "inputs/s", Better.HIGHER, batched, List.of(new Peer("the same model unbatched, same container", unbatched)),
        unbatched.ok() ? List.of(new Target("issue 5", 3 * unbatched.value(), "≥ 3× unbatched")) : List.of()));
    rows.add(new Row("batched.machinery",
        String.format("embeddings example, %,d sentences: batched through Shoal against the body called directly",
            inputs),
        "inputs/s", Better.HIGHER, batched, List.of(new Peer("Model.embed called directly, batches of 64", direct)),
        direct.ok() ? List.of(new Target("issue 5", 0.9 * direct.value(), "≥ 90% of direct")) : List.of()));
    Object limit = all.ok() ? all.details().get("waitPlusOneBatchMs") : null;
    rows.add(new Row("batched.remote.p95",
        String.format("batched remote() p95, %d callers at once", CALLERS), "ms", Better.LOWER, p95, List.of(),
        limit instanceof Number n
            ? List.of(new Target("issue 5", n.doubleValue(), String.format("≤ wait + one batch (%.1f ms)",
                n.doubleValue())))
            : List.of()));
    return rows;
  }

  /** Runs in a {@link ShoalScenario} JVM. */
  static Figure measure(Sizes sizes) throws Exception {
    List<String> sentences = IntStream.range(0, sizes.batchedInputs())
        .mapToObj(i -> "request number " + i + " about cats and their " + (i % 17) + " favourite mats")
        .toList();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("sentences", sentences.size());
    details.put("maxBatchSize", BenchmarkApp.BATCHING.maxBatchSize());
    details.put("waitMs", BenchmarkApp.BATCHING.waitTime().toMillis());

    double direct = directPerSecond(sentences);
    double oneBatchMs = oneBatchMillis(sentences);
    details.put("directPerSecond", direct);
    details.put("oneBatchMs", oneBatchMs);
    try (AppRun run = ShoalRuns.start(Backend.PROCESSES)) {
      double[] rates = alternatingMapsPerSecond(sentences);
      double batched = rates[0];
      double unbatched = rates[1];
      details.put("batchedPerSecond", batched);
      details.put("unbatchedPerSecond", unbatched);
      details.put("batchedOverUnbatched", batched / unbatched);
      details.put("batchedOverDirect", batched / direct);
      long[] latencies = remoteLatencies(sentences);
      Latencies l = new Latencies(latencies);
      details.put("remoteP50Ms", l.percentileMillis(50));
      details.put("remoteP95Ms", l.percentileMillis(95));
      details.put("waitPlusOneBatchMs", BenchmarkApp.BATCHING.waitTime().toMillis() + oneBatchMs);
      return Figure.of(batched, details);
    } finally {
      ShoalRuns.awaitNoContainers();
    }
  }

  /**
   * Batched and unbatched maps per second, each the median of {@link #TIMED_MAPS}. Both functions are warmed
   * first, and the timed maps alternate between them: the caller's JVM and the control plane serve both, and
   * whichever ran second would otherwise find them further warmed up by the first.
   */
  private static double[] alternatingMapsPerSecond(List<String> sentences) {
    for (int i = 0; i < WARM_MAPS; i++) {
      ChildJvm.Child.progress("warm-up " + (i + 1));
      check(BenchmarkApp.embedBatched.map(sentences).toList(), sentences.size());
      check(BenchmarkApp.embedOne.map(sentences).toList(), sentences.size());
    }
    double[] batched = new double[TIMED_MAPS];
    double[] unbatched = new double[TIMED_MAPS];
    for (int i = 0; i < TIMED_MAPS; i++) {
      ChildJvm.Child.progress("map " + (i + 1));
      batched[i] = mapPerSecond(BenchmarkApp.embedBatched, sentences);
      unbatched[i] = mapPerSecond(BenchmarkApp.embedOne, sentences);
    }
    Arrays.sort(batched);
    Arrays.sort(unbatched);
    return new double[] {batched[TIMED_MAPS / 2], unbatched[TIMED_MAPS / 2]};
  }

  private static double mapPerSecond(RemoteFunction<String, float[]> function, List<String> sentences) {
    long start = System.nanoTime();
    check(function.map(sentences).toList(), sentences.size());
    return sentences.size() / ((System.nanoTime() - start) / 1e9);
  }

  /** The model's embed on consecutive batches of the batch size, in this JVM; the median of three passes. */
  private static double directPerSecond(List<String> sentences) {
    Embeddings.Model model = new Embeddings.Model(42);
    int size = BenchmarkApp.BATCHING.maxBatchSize();
    double[] rates = new double[TIMED_MAPS + 1];
    for (int pass = 0; pass < rates.length; pass++) {
      long start = System.nanoTime();
      int done = 0;
      for (int from = 0; from < sentences.size(); from += size) {
        done += model.embed(sentences.subList(from, Math.min(sentences.size(), from + size))).size();
      }
      check(done, sentences.size());
      rates[pass] = sentences.size() / ((System.nanoTime() - start) / 1e9);
    }
    // The first pass warms the JIT; the figure is the median of the others.
    double[] timed = Arrays.copyOfRange(rates, 1, rates.length);
    Arrays.sort(timed);
    return timed[timed.length / 2];
  }

  /** How long one full batch takes to embed, directly: the median of many. */
  private static double oneBatchMillis(List<String> sentences) {
    Embeddings.Model model = new Embeddings.Model(42);
    List<String> batch = sentences.subList(0, Math.min(sentences.size(), BenchmarkApp.BATCHING.maxBatchSize()));
    long[] nanos = new long[50];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      model.embed(batch);
      nanos[i] = System.nanoTime() - start;
    }
    return new Latencies(nanos).percentileMillis(50);
  }

  /** {@link #CALLERS} callers each making single {@code remote()} calls, one after another; every latency. */
  private static long[] remoteLatencies(List<String> sentences) throws Exception {
    int perCaller = Math.max(10, sentences.size() / 10 / CALLERS);
    long[] nanos = new long[CALLERS * perCaller];
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CALLERS; c++) {
        int caller = c;
        running.add(callers.submit(() -> {
          for (int i = 0; i < perCaller; i++) {
            String sentence = sentences.get((caller * perCaller + i) % sentences.size());
            long start = System.nanoTime();
            float[] vector = BenchmarkApp.embedBatched.remote(sentence);
            nanos[caller * perCaller + i] = System.nanoTime() - start;
            if (vector.length != Embeddings.DIMENSIONS) {
              throw new IllegalStateException("a vector of " + vector.length + " dimensions");
            }
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    }
    return nanos;
  }

  private static void check(List<float[]> vectors, int expected) {
    check(vectors.size(), expected);
  }

  private static void check(int got, int expected) {
    if (got != expected) {
      throw new IllegalStateException(got + " vectors for " + expected + " sentences");
    }
  }
}
