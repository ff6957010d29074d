package dev.shoal;

/** The root of every exception Shoal throws; all of them are unchecked. */
public class ShoalException extends RuntimeException {
  ShoalException(String message) {
    super(message);
  }

  ShoalException(String message, Throwable cause) {
    super(message, cause);
  }
}
