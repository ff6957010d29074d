package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.Batching;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Retries;
import dev.shoal.Shoal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Batched functions for the batching tests; a container loads this class to find them. */
public final class BatchApp {
  public static final App app = App.named("batch-app");

  /**
   * What a batched body saw for one input.
   *
   * @param batchSize how many inputs the batch that held this input had
   * @param detail something else the body wants the test to see
   */
  public record Seen(int input, int batchSize, String detail) {}

  /** Reports each input with the size of its batch: at most 8, gathered for up to 200 ms. */
  public static final RemoteFunction<Integer, Seen> sizes = app.batched("sizes",
      xs -> xs.stream().map(x -> new Seen(x, xs.size(), "")).toList(),
      Batching.of(8, Duration.ofMillis(200)),
      FunctionOptions.builder().maxContainers(1).build());

  /** Batches of up to 100 that wait a second for company. */
  public static final RemoteFunction<Integer, Seen> patient = app.batched("patient",
      xs -> xs.stream().map(x -> new Seen(x, xs.size(), "")).toList(),
      Batching.of(100, Duration.ofSeconds(1)),
      FunctionOptions.builder().maxContainers(1).build());

  /** Tells each input which call's context the batch ran in. */
  public static final RemoteFunction<Integer, Seen> context = app.batched("context",
      xs -> xs.stream().map(x -> new Seen(x, xs.size(), Shoal.context().functionCallId())).toList(),
      Batching.of(3, Duration.ofSeconds(5)),
      FunctionOptions.builder().maxContainers(1).build());

  /** Breaks the rule: returns one result fewer than it was given. */
  public static final RemoteFunction<Integer, Integer> dropsOne = app.batched("dropsOne",
      xs -> xs.subList(1, xs.size()),
      Batching.of(4, Duration.ofMillis(500)),
      FunctionOptions.builder().maxContainers(1).build());

  /** Throws for every batch. */
  public static final RemoteFunction<Integer, Integer> explodes = app.batched("explodes", xs -> {
    throw new IllegalStateException("a batch of " + xs.size() + " exploded");
  }, Batching.of(4, Duration.ofMillis(500)), FunctionOptions.builder().maxContainers(1).build());

  private static final AtomicInteger FAILED_BATCHES = new AtomicInteger();

  /** Fails the first batch its container runs, then succeeds; each input may be retried once, at once. */
  public static final RemoteFunction<Integer, Seen> failsFirstBatch = app.batched("failsFirstBatch", xs -> {
    if (FAILED_BATCHES.get() == 0) {
      FAILED_BATCHES.incrementAndGet();
      throw new IllegalStateException("the first batch fails");
    }
    return xs.stream().map(x -> new Seen(x, xs.size(), "failed batches before: " + FAILED_BATCHES.get())).toList();
  }, Batching.of(4, Duration.ofMillis(500)), FunctionOptions.builder()
      .maxContainers(1)
      .retries(Retries.builder().maxRetries(1).initialDelay(Duration.ZERO).build())
      .build());

  /** Batches of up to 1,000 results of a few hundred bytes each. */
  public static final RemoteFunction<Integer, String> large = app.batched("large",
      xs -> xs.stream().map(x -> "x".repeat(300) + x).toList(),
      Batching.of(1000, Duration.ofMillis(100)),
      FunctionOptions.builder().maxContainers(1).build());

  private BatchApp() {}
}
