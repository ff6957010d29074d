package dev.shoal.internal.store;

/** Where an app stands. */
public enum AppState {
  /** An ephemeral run whose client is connected: it stops when the client goes. */
  RUNNING,
  /** A run that keeps going after its client disconnects. */
  DETACHED,
  /** A named, versioned app that any process may look up. */
  DEPLOYED,
  STOPPED;

  public boolean isActive() {
    return this != STOPPED;
  }
}
