package dev.shoal.internal.runtime;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
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
  /** How many cancellations of inputs not held are remembered; see {@link #early}. */
  private static final int MAX_EARLY = 1_024;

  // All guarded by this.
  private final Set<String> held = new HashSet<>();
  /**
   * Cancellations of inputs not held: most were answered already, but one may have overtaken its input, since the
   * control plane sends leases and cancellations from different threads. The newest few are kept for that case.
   */
  private final LinkedHashSet<String> early = new LinkedHashSet<>();
  private final Set<String> cancelled = new HashSet<>();
  private final Map<Thread, List<String>> running = new HashMap<>();

  /** Inputs the control plane sent; only these can be cancelled. */
  synchronized void received(List<String> inputIds) {
    for (String id : inputIds) {
      held.add(id);
      if (early.remove(id)) {
        cancelled.add(id);
      }
    }
  }

  /** Marks inputs cancelled and interrupts the threads all of whose inputs now are. */
  synchronized void cancel(List<String> inputIds) {
    for (String id : inputIds) {
      if (held.contains(id)) {
        cancelled.add(id);
      } else {
        early.add(id);
        if (early.size() > MAX_EARLY) {
          early.removeFirst();
        }
      }
    }
    running.forEach((thread, ids) -> {
      if (cancelled.containsAll(ids)) {
        thread.interrupt();
      }
    });
  }

  /** The inputs held now: queued or running, not yet ended. */
  synchronized List<String> held() {
    return List.copyOf(held);
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
    // Made only when one was: almost every input ends uncancelled, and this runs once per input.
    Set<String> wereCancelled = null;
    for (String id : inputIds) {
      held.remove(id);
      if (!cancelled.isEmpty() && cancelled.remove(id)) {
        if (wereCancelled == null) {
          wereCancelled = new HashSet<>();
        }
        wereCancelled.add(id);
      }
    }
    Thread.interrupted();
    return wereCancelled == null ? Set.of() : wereCancelled;
  }
}
