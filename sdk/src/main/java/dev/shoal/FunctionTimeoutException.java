package dev.shoal;

/** An attempt of a remote function ran past its timeout and no retry was left. */
public final class FunctionTimeoutException extends ShoalException {
  FunctionTimeoutException(String message) {
    super(message);
  }

  FunctionTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
