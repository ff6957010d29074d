package dev.shoal.internal.controlplane;

import dev.shoal.internal.store.CallAttempt;
import dev.shoal.internal.store.CallCompletion;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/**
 * Writes to the store from one thread, in batches: whatever waits when the thread comes round is written in one
 * transaction, with one statement per kind. Under load many spawns and outcomes share a commit (group commit);
 * when idle each is written at once. A spawn is acknowledged to its caller only after its batch is committed.
 */
final class DurableWriter implements AutoCloseable {
  private static final int MAX_BATCH = 1000;

  private final StateStore store;
  private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  DurableWriter(StateStore store) {
    this.store = store;
    this.thread = Thread.ofPlatform().daemon().name("shoal-durable-writer").start(this::run);
  }

  /**
   * Stores new calls; the future completes once they are committed, with the calls the store left out because a
   * call of the same app holds their idempotency key (see {@link StateStore#insertCalls}).
   */
  CompletableFuture<Map<String, String>> insert(List<StoredCall> calls) {
    CompletableFuture<Map<String, String>> done = new CompletableFuture<>();
    queue.add(new Insert(calls, done));
    return done;
  }

  /** Records a final outcome; {@code then} runs once it is committed. */
  void complete(CallCompletion completion, Runnable then) {
    queue.add(new Complete(completion, then));
  }

  void attempt(CallAttempt attempt) {
    queue.add(new Attempt(attempt));
  }

  private void run() {
    List<Write> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      stop = batch.stream().anyMatch(w -> w instanceof Stop);
      write(batch);
      batch.clear();
    }
  }

  private void write(List<Write> batch) {
    List<StoredCall> inserts = new ArrayList<>();
    List<CompletableFuture<Map<String, String>>> inserted = new ArrayList<>();
    List<CallCompletion> completions = new ArrayList<>();
    List<Runnable> completed = new ArrayList<>();
    List<CallAttempt> attempts = new ArrayList<>();
    for (Write w : batch) {
      switch (w) {
        case Insert i -> {
          inserts.addAll(i.calls());
          inserted.add(i.done());
        }
        case Complete c -> {
          completions.add(c.completion());
          completed.add(c.then());
        }
        case Attempt a -> attempts.add(a.attempt());
        case Stop s -> { }
      }
    }
    // One transaction for the whole batch: under load the commit, not the statements, is what costs.
    try {
      // Every insert of the batch gets the whole answer: call ids are unique, so each finds its own calls in it.
      Map<String, String> duplicates = store.write(inserts, attempts, completions);
      inserted.forEach(f -> f.complete(duplicates));
      completed.forEach(Runnable::run);
      return;
    } catch (RuntimeException e) {
      System.getLogger(DurableWriter.class.getName()).log(System.Logger.Level.WARNING,
          "writing a batch to the store failed; writing its parts one by one", e);
    }
    // Nothing of the batch was kept. Each part alone, so that one bad part fails only its own writers.
    // Inserts first: a call spawned and finished within one batch must exist before its outcome is recorded.
    if (!inserts.isEmpty()) {
      writeAlone(() -> store.insertCalls(inserts), inserted);
    }
    if (!attempts.isEmpty()) {
      writeAlone(() -> {
        store.recordAttempts(attempts);
        return null;
      }, List.of());
    }
    if (!completions.isEmpty()) {
      writeAlone(() -> {
        store.completeCalls(completions);
        return null;
      }, List.of());
      completed.forEach(Runnable::run);
    }
  }

  private static <T> void writeAlone(Supplier<T> write, List<CompletableFuture<T>> waiting) {
    try {
      T written = write.get();
      waiting.forEach(f -> f.complete(written));
    } catch (RuntimeException e) {
      System.getLogger(DurableWriter.class.getName())
          .log(System.Logger.Level.ERROR, "writing to the store failed", e);
      waiting.forEach(f -> f.completeExceptionally(e));
    }
  }

  /** Writes what is queued, then stops. */
  @Override
  public void close() {
    queue.add(new Stop());
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private sealed interface Write permits Insert, Complete, Attempt, Stop {}

  private record Insert(List<StoredCall> calls, CompletableFuture<Map<String, String>> done) implements Write {}

  private record Complete(CallCompletion completion, Runnable then) implements Write {}

  private record Attempt(CallAttempt attempt) implements Write {}

  private record Stop() implements Write {}
}
