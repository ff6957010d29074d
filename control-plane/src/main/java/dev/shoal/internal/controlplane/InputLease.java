package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.Payload;

/**
 * One attempt of an input, as it is handed to the container that holds its lease: what the container needs to run
 * it, fixed when the lease was made. The arguments are the protocol's {@link Payload}, which the core carries as
 * opaque data and never reads.
 *
 * @param inputId the input's id, which the container's output names
 * @param callId the call the input belongs to
 * @param attempt 1 for the first try
 * @param args the input's arguments, as the caller encoded them
 * @param method the method of a Cls pool the input calls; empty for a plain function
 */
record InputLease(String inputId, String callId, int attempt, Payload args, String method) {
  /** The lease of {@code input}'s current attempt; made under its pool's lock, where the attempt is read. */
  static InputLease of(InputRecord input) {
    return new InputLease(input.id, input.call.id, input.attempt, input.args, input.call.method);
  }
}
