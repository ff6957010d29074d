package dev.shoal.internal.runtime;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inputs a container holds, which thread runs each, and which of them were cancelled, so that a cancellation
 * from the control plane reaches the thread running the input.
 *
 * <p>A thread is interrupted only when every input it runs was cancelled: the inputs of a batch share one thread,
 * and interrupting it for one of them would fail the others. The interrupt and the end of an input are ordered by
 * this object's monitor, and a worker clears its interrupt status as its input ends, so that no interrupt meant for
 * one input reaches the next.
 */
final class RunningInputs {
  // All guarded by this.
  private final Set<String> held = new HashSet<>();
  private final Set<String> cancelled = new HashSet<>();
  private final Map<Thread, List<String>> running = new HashMap<>();

  /** Inputs the control plane sent; only these can be cancelled. */
  synchronized void received(List<String> inputIds) {
    held.addAll(inputIds);
  }

  /** Marks inputs cancelled and interrupts the threads all of whose inputs now are. */
  synchronized void cancel(List<String> inputIds) {
    for (String id : inputIds) {
      // One that was answered already is no longer held: the cancellation crossed its output on the wire.
      if (held.contains(id)) {
        cancelled.add(id);
      }
    }
    running.forEach((thread, ids) -> {
      if (cancelled.containsAll(ids)) {
        thread.interrupt();
      }
    });
  }

  synchronized boolean isCancelled(String inputId) {
    return cancelled.contains(inputId);
  }

  synchronized boolean allCancelled(List<String> inputIds) {
    return cancelled.containsAll(inputIds);
  }

  /** The calling thread starts running these inputs. */
  synchronized void start(List<String> inputIds) {
    running.put(Thread.currentThread(), inputIds);
  }

  /**
   * The calling thread has finished these inputs (it may not have started them): they are no longer held, and an
   * interrupt meant for them is cleared. Returns those of them that were cancelled.
   */
  synchronized Set<String> end(List<String> inputIds) {
    running.remove(Thread.currentThread());
    Set<String> wereCancelled = new HashSet<>();
    for (String id : inputIds) {
      held.remove(id);
      if (cancelled.remove(id)) {
        wereCancelled.add(id);
      }
    }
    Thread.interrupted();
    return wereCancelled;
  }
}
