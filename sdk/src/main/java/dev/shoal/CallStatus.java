package dev.shoal;

/** Where a function call stands. */
public enum CallStatus {
  /** Accepted, waiting for a container. */
  PENDING,
  /** Running, or waiting for a retry. */
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  TIMED_OUT;

  /** Whether the call has its final result. */
  public boolean isTerminal() {
    return this != PENDING && this != RUNNING;
  }
}
