package dev.shoal.internal.controlplane;

import dev.shoal.internal.store.CallAttempt;
import dev.shoal.internal.store.CallCompletion;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

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

  /** Stores new calls; the future completes once they are committed. */
  CompletableFuture<Void> insert(List<StoredCall> calls) {
    CompletableFuture<Void> done = new CompletableFuture<>();
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
    List<CompletableFuture<Void>> inserted = new ArrayList<>();
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
      store.write(inserts, attempts, completions);
      inserted.forEach(f -> f.complete(null));
      completed.forEach(Runnable::run);
      return;
    } catch (RuntimeException e) {
      System.getLogger(DurableWriter.class.getName()).log(System.Logger.Level.WARNING,
          "writing a batch to the store failed; writing its parts one by one", e);
    }
    // Nothing of the batch was kept. Each part alone, so that one bad part fails only its own writers.
    // Inserts first: a call spawned and finished within one batch must exist before its outcome is recorded.
    attempt(inserts.isEmpty() ? null : () -> store.insertCalls(inserts), inserted);
    if (!attempts.isEmpty()) {
      attempt(() -> store.recordAttempts(attempts), List.of());
    }
    if (!completions.isEmpty()) {
      attempt(() -> store.completeCalls(completions), List.of());
      completed.forEach(Runnable::run);
    }
  }

  private static void attempt(Runnable write, List<CompletableFuture<Void>> waiting) {
    if (write == null) {
      return;
    }
    try {
      write.run();
      waiting.forEach(f -> f.complete(null));
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

  private record Insert(List<StoredCall> calls, CompletableFuture<Void> done) implements Write {}

  private record Complete(CallCompletion completion, Runnable then) implements Write {}

  private record Attempt(CallAttempt attempt) implements Write {}

  private record Stop() implements Write {}
}
