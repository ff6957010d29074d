package dev.shoal.internal.store;

import java.time.Instant;

/**
 * The final outcome of a call.
 *
 * @param result the encoded result, or null when it need not be kept (a detached map's successes)
 * @param resultBlob the hash of the blob that holds the result's value, or null when there is none
 */
public record CallCompletion(String callId, CallState state, byte[] result, Instant finishedAt, String resultBlob) {
  public CallCompletion {
    if (!state.isFinal()) {
      throw new IllegalArgumentException("a completion needs a final state, was " + state);
    }
  }

  /** An outcome whose result, if kept, has no blob. */
  public CallCompletion(String callId, CallState state, byte[] result, Instant finishedAt) {
    this(callId, state, result, finishedAt, null);
  }
}
