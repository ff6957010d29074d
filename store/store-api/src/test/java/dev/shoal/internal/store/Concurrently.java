package dev.shoal.internal.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/** A way to run several numbered workers at once in a test and see the first failure. */
public final class Concurrently {
  /** What one of several threads does, given its number. */
  @FunctionalInterface
  public interface Worker {
    void run(int number) throws Exception;
  }

  private Concurrently() {}

  /** Runs {@code threads} workers at once and rethrows the first failure once all have ended. */
  public static void run(int threads, Worker worker) throws Exception {
    // Closing the executor waits for every worker, so a failure is reported only after the others stopped
    // writing to the store, and the next test starts with no stray writer.
    try (ExecutorService executor = Executors.newFixedThreadPool(threads)) {
      List<CompletableFuture<Void>> running = IntStream.range(0, threads)
          .mapToObj(n -> CompletableFuture.runAsync(() -> {
            try {
              worker.run(n);
            } catch (Exception e) {
              throw new IllegalStateException("worker " + n + " failed", e);
            }
          }, executor))
          .toList();
      for (CompletableFuture<Void> each : running) {
        each.get();
      }
    }
  }
}
