package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.CallState;
import dev.shoal.protocol.v1.ResultStatus;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a call stands, and the one table of the moves between phases that are legal. Every change of a call's
 * phase goes through {@link #canMoveTo}, so a call that finished can never be finished again, nor start again.
 */
enum CallPhase {
  /** Accepted; no container has taken its input yet. */
  PENDING,
  /** A container took its input; it may be running, or waiting for a retry after a failed attempt. */
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  TIMED_OUT;

  private static final Map<CallPhase, Set<CallPhase>> LEGAL = new EnumMap<>(CallPhase.class);

  static {
    // Failing from PENDING covers containers that cannot start, and inputs lost too often before running.
    LEGAL.put(PENDING, EnumSet.of(RUNNING, FAILED, CANCELLED));
    // RUNNING -> RUNNING is a retry, or an input put back after its container died.
    LEGAL.put(RUNNING, EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT));
    for (CallPhase terminal : EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT)) {
      LEGAL.put(terminal, EnumSet.noneOf(CallPhase.class));
    }
  }

  boolean isTerminal() {
    return LEGAL.get(this).isEmpty();
  }

  boolean canMoveTo(CallPhase next) {
    return LEGAL.get(this).contains(next);
  }

  /** The terminal phase a final result puts a call in. */
  static CallPhase of(ResultStatus status) {
    return switch (status) {
      case SUCCESS -> SUCCEEDED;
      case CANCELLED -> CANCELLED;
      case TIMEOUT -> TIMED_OUT;
      default -> FAILED;
    };
  }

  CallState toProto() {
    return switch (this) {
      case PENDING -> CallState.PENDING;
      case RUNNING -> CallState.RUNNING;
      case SUCCEEDED -> CallState.SUCCEEDED;
      case FAILED -> CallState.FAILED;
      case CANCELLED -> CallState.CANCELLED_STATE;
      case TIMED_OUT -> CallState.TIMED_OUT;
    };
  }
}
