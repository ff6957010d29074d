package dev.shoal.internal.store;

/** A stored call's state. */
public enum CallState {
  PENDING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  TIMED_OUT;

  public boolean isFinal() {
    return this != PENDING;
  }
}
