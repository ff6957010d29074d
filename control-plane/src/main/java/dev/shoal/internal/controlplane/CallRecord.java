package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.CallState;
import dev.shoal.protocol.v1.Result;
import java.util.List;

/** A function call: one input (remote, spawn) or many (map). */
abstract class CallRecord {
  final String id;
  final FunctionPool pool;
  volatile boolean cancelled;
  /**
   * In a Cls pool, the method this call's inputs call; empty otherwise. Set once when the call is made, before
   * any of its inputs is queued.
   */
  String method = "";

  CallRecord(String id, FunctionPool pool) {
    this.id = id;
    this.pool = pool;
  }

  /** The id the call was made through: the pool's, or for a Cls method the pool's, a slash and the method. */
  String functionId() {
    return method.isEmpty() ? pool.id : pool.id + "/" + method;
  }

  /** Receives the final results of some of this call's inputs; called outside every pool lock. */
  abstract void complete(List<Completion> completions);

  /** Cancels what has not finished; the caller receives cancellations for it. */
  abstract void cancel(String why);

  abstract CallState state();

  /** The final result of one input. */
  record Completion(InputRecord input, Result result) {}
}
