package dev.shoal.internal.store;

import java.time.Instant;

/**
 * The final outcome of a call.
 *
 * @param result the encoded result, or null when it need not be kept (a detached map's successes)
 */
public record CallCompletion(String callId, CallState state, byte[] result, Instant finishedAt) {
  public CallCompletion {
    if (!state.isFinal()) {
      throw new IllegalArgumentException("a completion needs a final state, was " + state);
    }
  }
}
