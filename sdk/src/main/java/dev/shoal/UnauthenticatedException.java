package dev.shoal;

/** The server refused the request because its token was missing or wrong. */
public final class UnauthenticatedException extends ShoalException {
  UnauthenticatedException(String message) {
    super(message);
  }

  UnauthenticatedException(String message, Throwable cause) {
    super(message, cause);
  }
}
