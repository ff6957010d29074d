package dev.shoal;

import java.util.concurrent.Callable;

/** Runs a body in the caller's thread, as {@code local} does, with the exceptions a remote call would give. */
final class LocalCalls {
  private LocalCalls() {}

  /** Rethrows unchecked exceptions as they are, and wraps a checked one as a {@link RemoteException}. */
  static <O> O run(Callable<O> body) {
    try {
      return body.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new RemoteException(e.getClass().getName(), String.valueOf(e.getMessage()),
          new RemoteException.RemoteStackTrace(e.getClass().getName(), e.getMessage(), e.getStackTrace(), null));
    }
  }
}
