package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.CallState;
import dev.shoal.protocol.v1.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A call with one input: {@code remote} or {@code spawn}. Its one result is kept for every later reader. */
final class SingleCall extends CallRecord {
  private final List<Consumer<Result>> waiters = new ArrayList<>();
  private Result result;
  volatile boolean started;
  InputRecord input;

  SingleCall(String id, FunctionPool pool) {
    super(id, pool);
  }

  @Override
  void complete(List<Completion> completions) {
    for (Completion c : completions) {
      finish(c.result());
    }
  }

  /** Records the result unless one exists already, and wakes whoever waits for it. */
  void finish(Result r) {
    List<Consumer<Result>> toWake;
    synchronized (this) {
      if (result != null) {
        return;
      }
      result = r;
      toWake = List.copyOf(waiters);
      waiters.clear();
    }
    toWake.forEach(w -> w.accept(r));
  }

  /** Runs {@code waiter} with the result, now if there is one, else when it comes. */
  void onResult(Consumer<Result> waiter) {
    Result r;
    synchronized (this) {
      r = result;
      if (r == null) {
        waiters.add(waiter);
        return;
      }
    }
    waiter.accept(r);
  }

  synchronized void removeWaiter(Consumer<Result> waiter) {
    waiters.remove(waiter);
  }

  synchronized Result result() {
    return result;
  }

  @Override
  void cancel(String why) {
    cancelled = true;
    finish(Results.cancelled(why));
    pool.forget(input);
  }

  @Override
  CallState state() {
    Result r = result();
    if (r == null) {
      return started ? CallState.RUNNING : CallState.PENDING;
    }
    return switch (r.getStatus()) {
      case SUCCESS -> CallState.SUCCEEDED;
      case CANCELLED -> CallState.CANCELLED_STATE;
      case TIMEOUT -> CallState.TIMED_OUT;
      default -> CallState.FAILED;
    };
  }
}
