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
  /** What the call did, for the dashboard; made on first use, once {@link #method} is set. */
  private CallActivity activity;
  private final Object activityLock = new Object();

  CallRecord(String id, FunctionPool pool) {
    this.id = id;
    this.pool = pool;
  }

  /** What the call did so far; the first use registers it with the control plane's recent calls. */
  final CallActivity activity() {
    synchronized (activityLock) {
      if (activity != null) {
        return activity;
      }
      String kind = this instanceof MapCallRecord ? "map" : this instanceof SpawnedMapRecord ? "spawn_map"
          : this instanceof SingleCall s && s.spawned ? "spawn" : "remote";
      activity = pool.host.activity().track(this, kind);
      return activity;
    }
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
