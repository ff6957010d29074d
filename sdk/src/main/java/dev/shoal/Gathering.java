package dev.shoal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Waits on many calls at once, as {@link FunctionCall#gather} does: one virtual thread per call, whose waits the
 * connection sends together, so that the first failure ends the wait as soon as it is known, whichever call it
 * belongs to. The calls still running are left alone; only the threads waiting on them stop.
 */
final class Gathering {
  private Gathering() {}

  static <O> List<O> all(List<FunctionCall<? extends O>> calls) {
    List<CompletableFuture<O>> results = new ArrayList<>(calls.size());
    List<Thread> waiters = new ArrayList<>(calls.size());
    CompletableFuture<Void> firstFailure = new CompletableFuture<>();
    for (FunctionCall<? extends O> call : calls) {
      CompletableFuture<O> result = new CompletableFuture<>();
      results.add(result);
      waiters.add(Thread.ofVirtual().name("shoal-gather-" + call.id()).start(() -> {
        try {
          result.complete(call.get());
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
          firstFailure.completeExceptionally(e);
        }
      }));
    }
    try {
      CompletableFuture.anyOf(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)), firstFailure).get();
      List<O> values = new ArrayList<>(results.size());
      results.forEach(r -> values.add(r.join()));
      return values;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new ShoalException("gather failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while gathering " + calls.size() + " calls");
    } finally {
      // A waiter interrupted while it waits stops at once; those already done are not affected.
      waiters.forEach(Thread::interrupt);
    }
  }
}
