package dev.shoal;

/** The call was cancelled, or the run it belonged to was stopped, before it produced a result. */
public final class CancelledException extends ShoalException {
  CancelledException(String message) {
    super(message);
  }

  CancelledException(String message, Throwable cause) {
    super(message, cause);
  }
}
