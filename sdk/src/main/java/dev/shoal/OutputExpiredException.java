package dev.shoal;

/** The call's result is no longer retained. */
public final class OutputExpiredException extends ShoalException {
  OutputExpiredException(String message) {
    super(message);
  }

  OutputExpiredException(String message, Throwable cause) {
    super(message, cause);
  }
}
