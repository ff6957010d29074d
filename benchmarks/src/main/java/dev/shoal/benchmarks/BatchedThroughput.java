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
 * batched method (up to 64 per batch, 20 ms wait) and through a plain method that embeds one sentence per call.
 * Beside them, the model's own {@code embed} called directly on batches of the same size, inside a container
 * started like the batched method's: the ceiling that the batching machinery can at best reach. And the latency that single callers see when many
 * call at once, against the batch's wait plus one batch's execution.
 */
final class BatchedThroughput {
  /** Concurrent callers of {@code remote()} in the latency measurement: enough to fill a batch. */
  static final int CALLERS = 64;
  private static final int TIMED_MAPS = 3;
  private static final int WARM_MAPS = 2;
  /**
   * Untimed rounds of the callers' {@code remote()}s before the timed one: the caller's JIT goes on compiling the
   * path through {@code remote()} and the control plane for several thousand calls, and on two cores its compiler
   * threads take the CPU that the gathering of a batch needs.
   */
  private static final int WARM_REMOTE_ROUNDS = 10;
  /** Calls each caller makes in one round. */
  private static final int CALLS_PER_CALLER = 20;

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
        "inputs/s", Better.HIGHER, batched, List.of(new Peer("Model.embed called directly in a like container, batches of 64", direct)),
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
    try (AppRun run = ShoalRuns.start(Backend.PROCESSES)) {
      double[] rates = alternatingRounds(sentences);
      double batched = rates[0];
      double unbatched = rates[1];
      double direct = rates[2];
      double oneBatchMs = rates[3];
      details.put("batchedPerSecond", batched);
      details.put("unbatchedPerSecond", unbatched);
      details.put("directPerSecond", direct);
      details.put("oneBatchMs", oneBatchMs);
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
   * Batched maps, unbatched maps and direct passes per second, each the median of {@link #TIMED_MAPS}, and the
   * median time of one full batch called directly. All three are warmed first, and the timed rounds alternate
   * between them: the caller's JVM and the control plane serve both maps, and whichever ran second would
   * otherwise find them further warmed up by the first; and the machine's load, which drifts, is shared alike.
   */
  private static double[] alternatingRounds(List<String> sentences) {
    for (int i = 0; i < WARM_MAPS; i++) {
      ChildJvm.Child.progress("warm-up " + (i + 1));
      check(BenchmarkApp.embedBatched.map(sentences).toList(), sentences.size());
      check(BenchmarkApp.embedOne.map(sentences).toList(), sentences.size());
      BenchmarkApp.embedDirectly.remote(sentences);
    }
    double[] batched = new double[TIMED_MAPS];
    double[] unbatched = new double[TIMED_MAPS];
    double[] direct = new double[TIMED_MAPS];
    double[] oneBatchMs = new double[TIMED_MAPS];
    for (int i = 0; i < TIMED_MAPS; i++) {
      ChildJvm.Child.progress("round " + (i + 1));
      batched[i] = mapPerSecond(BenchmarkApp.embedBatched, sentences);
      unbatched[i] = mapPerSecond(BenchmarkApp.embedOne, sentences);
      double[] pass = BenchmarkApp.embedDirectly.remote(sentences);
      direct[i] = pass[0];
      oneBatchMs[i] = pass[1];
    }
    return new double[] {median(batched), median(unbatched), median(direct), median(oneBatchMs)};
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /**
   * Runs in the model's container: {@code embed} on consecutive batches of the batch size, one pass over the
   * sentences. Returns {sentences per second, the median milliseconds of one full batch}.
   */
  static double[] directPass(Embeddings.Model model, List<String> sentences) {
    int size = BenchmarkApp.BATCHING.maxBatchSize();
    List<Long> fullBatchNanos = new ArrayList<>();
    long start = System.nanoTime();
    int done = 0;
    for (int from = 0; from < sentences.size(); from += size) {
      List<String> batch = sentences.subList(from, Math.min(sentences.size(), from + size));
      long batchStart = System.nanoTime();
      done += model.embed(batch).size();
      if (batch.size() == size) {
        fullBatchNanos.add(System.nanoTime() - batchStart);
      }
    }
    check(done, sentences.size());
    double perSecond = sentences.size() / ((System.nanoTime() - start) / 1e9);
    long[] nanos = fullBatchNanos.stream().mapToLong(Long::longValue).toArray();
    return new double[] {perSecond, nanos.length == 0 ? 0 : new Latencies(nanos).percentileMillis(50)};
  }

  private static double mapPerSecond(RemoteFunction<String, float[]> function, List<String> sentences) {
    long start = System.nanoTime();
    check(function.map(sentences).toList(), sentences.size());
    return sentences.size() / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * {@link #CALLERS} callers each making single {@code remote()} calls, one after another; every latency. The
   * maps before this warmed the container's model but not the callers' path through {@code remote()}, so
   * {@link #WARM_REMOTE_ROUNDS} untimed rounds go first.
   */
  private static long[] remoteLatencies(List<String> sentences) throws Exception {
    int perCaller = CALLS_PER_CALLER;
    for (int round = 0; round < WARM_REMOTE_ROUNDS; round++) {
      callersAtOnce(sentences, perCaller, new long[CALLERS * perCaller]);
      // Ten rounds can outlast the harness's stall timeout on a busy machine: each says it went by.
      ChildJvm.Child.progress("warm remote() round " + (round + 1));
    }
    long[] nanos = new long[CALLERS * perCaller];
    callersAtOnce(sentences, perCaller, nanos);
    return nanos;
  }

  private static void callersAtOnce(List<String> sentences, int perCaller, long[] nanos) throws Exception {
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
