package dev.shoal.internal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One failed input of a function, kept for the dashboard's failure history: the call it belongs to and the remote
 * stack trace of its last attempt.
 *
 * @param callKind how the call was made (spawn, map, …), as the dashboard names it
 * @param state the input's final state: failed or timed_out
 * @param error the remote stack trace; empty when there is none
 */
public record StoredFailure(String functionId, String callId, String callKind, Instant callCreatedAt,
    String inputId, long inputIndex, int attempts, String state, String errorType, String error,
    Instant finishedAt) {
  public StoredFailure {
    Objects.requireNonNull(functionId, "functionId");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(inputId, "inputId");
    Objects.requireNonNull(finishedAt, "finishedAt");
  }
}
