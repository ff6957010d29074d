package dev.shoal;

/** A caller stopped waiting for a result that was not ready within the time it gave. */
public final class CallTimeoutException extends ShoalException {
  CallTimeoutException(String message) {
    super(message);
  }

  CallTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
