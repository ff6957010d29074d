package dev.shoal;

/** A function, call, app or volume that was asked for does not exist. */
public final class NotFoundException extends ShoalException {
  NotFoundException(String message) {
    super(message);
  }

  NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
