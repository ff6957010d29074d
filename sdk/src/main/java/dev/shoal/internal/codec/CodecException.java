package dev.shoal.internal.codec;

/** The failure to encode or decode a payload, naming the class (and the field, if known) at fault. */
public final class CodecException extends RuntimeException {
  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
