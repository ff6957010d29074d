package dev.shoal.benchmarks;

import dev.shoal.App;
import dev.shoal.Batching;
import dev.shoal.Cls;
import dev.shoal.ClsParams;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.examples.Embeddings;
import java.time.Duration;
import java.util.List;

/**
 * The app every Shoal scenario runs. A container loads this class by name to find its functions, so it holds
 * nothing but them: its static initialiser runs in every container, and in every cold start that is measured.
 */
public final class BenchmarkApp {
  public static final App app = App.named("shoal-benchmarks");

  /** The trivial function of the map scenarios, once per container count, as the cap is a function option. */
  public static final RemoteFunction<Integer, Integer> incrementOn1 = increment(1);
  public static final RemoteFunction<Integer, Integer> incrementOn2 = increment(2);
  public static final RemoteFunction<Integer, Integer> incrementOn4 = increment(4);

  /** The round-trip and cold-start function: one container, so every call meets the same warm JVM. */
  public static final RemoteFunction<Integer, Integer> echo =
      app.function("echo", x -> x, FunctionOptions.builder().maxContainers(1).build());

  /** The durable-spawn function: trivial, on two containers, so that completion measures the engine. */
  public static final RemoteFunction<Integer, Integer> spawned =
      app.function("spawned", x -> x + 1, FunctionOptions.builder().maxContainers(2).build());

  /**
   * The embeddings example's model, loaded once per container, in one container: batched, with the example's
   * batching (up to 64 sentences per matrix product, waiting at most 20 ms for company).
   */
  public static final Batching BATCHING = Batching.of(64, Duration.ofMillis(20));
  static final Cls<Embeddings.Model> batchedModel = app.cls("BatchedModel",
      (ClsParams p) -> new Embeddings.Model(42), FunctionOptions.builder().maxContainers(1).build());
  public static final RemoteFunction<String, float[]> embedBatched =
      batchedModel.batchedMethod("embed", Embeddings.Model::embed, BATCHING);

  /** The same model, also in one container (a class with a batched method has no other), one sentence per call. */
  static final Cls<Embeddings.Model> model = app.cls("Model",
      (ClsParams p) -> new Embeddings.Model(42), FunctionOptions.builder().maxContainers(1).build());
  public static final RemoteFunction<String, float[]> embedOne =
      model.method("embedOne", (Embeddings.Model m, String s) -> m.embed(List.of(s)).get(0));
  /**
   * The same model's {@code embed} called directly, in that container, on the sentences in batches of the batch
   * size: the ceiling for the batched method, measured in a JVM started with the same flags as the batched
   * method's container. Returns {sentences per second, the median milliseconds of one full batch}.
   */
  public static final RemoteFunction<List<String>, double[]> embedDirectly =
      model.method("embedDirectly", (Embeddings.Model m, List<String> s) -> BatchedThroughput.directPass(m, s));

  private BenchmarkApp() {}

  /** {@link #incrementOn1}, {@link #incrementOn2} or {@link #incrementOn4}. */
  public static RemoteFunction<Integer, Integer> incrementOn(int containers) {
    return switch (containers) {
      case 1 -> incrementOn1;
      case 2 -> incrementOn2;
      case 4 -> incrementOn4;
      default -> throw new IllegalArgumentException("no increment function for " + containers + " containers");
    };
  }

  private static RemoteFunction<Integer, Integer> increment(int containers) {
    return app.function("incrementOn" + containers, x -> x + 1,
        FunctionOptions.builder().maxContainers(containers).build());
  }
}
