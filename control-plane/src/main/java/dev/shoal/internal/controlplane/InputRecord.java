package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.Payload;

/** One input of a call, from submission to its one result. Guarded by its pool's lock. */
final class InputRecord {
  final String id;
  final CallRecord call;
  final long index;
  final Payload args;
  /** 1 for the first try; a retry after a failure or a timeout adds one. */
  int attempt = 1;
  /** How often the input was lost with a container; these do not use up retries. */
  int internalFailures;
  ContainerRecord leasedTo;
  long leasedAtMillis;
  boolean done;
  /**
   * When the control plane told the container holding this input that its call was cancelled; 0 while it has not.
   * The container must answer within {@link FunctionPool#CANCEL_GRACE_MILLIS} of it, or be replaced.
   */
  long cancelSentAtMillis;

  InputRecord(String id, CallRecord call, long index, Payload args) {
    this.id = id;
    this.call = call;
    this.index = index;
    this.args = args;
  }
}
