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
  private CallPhase phase = CallPhase.PENDING;
  InputRecord input;
  /** Made by spawn rather than remote: its result is stored for callers that come later. */
  boolean spawned;
  /** Runs once with the final result; spawned calls record it in the store there. */
  private final Consumer<Result> onFinish;

  SingleCall(String id, FunctionPool pool, Consumer<Result> onFinish) {
    super(id, pool);
    this.onFinish = onFinish;
  }

  @Override
  void complete(List<Completion> completions) {
    for (Completion c : completions) {
      finish(c.result());
    }
  }

  /** Notes that a container took the input; a retry or a re-queue keeps the call running. */
  synchronized void started() {
    if (phase == CallPhase.PENDING) {
      moveTo(CallPhase.RUNNING);
    }
  }

  private void moveTo(CallPhase next) {
    if (!phase.canMoveTo(next)) {
      throw new IllegalStateException("call " + id + " cannot move from " + phase + " to " + next);
    }
    phase = next;
  }

  /** Records the result unless one exists already, and wakes whoever waits for it. */
  void finish(Result r) {
    List<Consumer<Result>> toWake;
    synchronized (this) {
      if (phase.isTerminal()) {
        return;
      }
      moveTo(CallPhase.of(r.getStatus()));
      result = r;
      toWake = List.copyOf(waiters);
      waiters.clear();
    }
    onFinish.accept(r);
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
    activity().cancelled(pool.host.nowMillis());
    finish(Results.cancelled(why));
    pool.cancelInputsOf(this, input, why);
  }

  @Override
  synchronized CallState state() {
    return phase.toProto();
  }
}
