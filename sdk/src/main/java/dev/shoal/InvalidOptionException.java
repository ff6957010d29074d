package dev.shoal;

/** An option or argument broke one of Shoal's rules; the message names the rule. */
public final class InvalidOptionException extends ShoalException {
  InvalidOptionException(String message) {
    super(message);
  }

  InvalidOptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
