package dev.shoal.internal.controlplane;

/**
 * A request field as an error description may quote it: in single quotes, at most {@link #MAX_CHARS} of its
 * characters, every control character, single quote and non-ASCII character escaped as {@code \}{@code uXXXX},
 * and the full length named when it was cut. A backslash stays as it is, so that a path such as {@code a\b} reads
 * as sent.
 *
 * <p>Descriptions travel back in HTTP/2 trailers, which a gRPC client accepts only up to 8 KiB: a description that
 * echoed a long field whole made the caller see {@code INTERNAL: http2 exception} instead of the status the server
 * chose, and one that echoed control characters could forge lines in a log that printed it.
 */
public final class BoundedQuote {
  /** How many characters of a field a description quotes at most. */
  public static final int MAX_CHARS = 64;
  /** How long a description cut by {@link #description} is, in characters of printable ASCII. */
  public static final int MAX_DESCRIPTION = 1_500;
  /** The most a description may take in a trailer, well within the 8 KiB a client accepts with the headers. */
  public static final int MAX_ENCODED_BYTES = 4_096;

  private BoundedQuote() {}

  /** {@code value} quoted, escaped and cut as the class says; {@code null} for a missing one. */
  public static String of(String value) {
    if (value == null) {
      return "null";
    }
    int shown = Math.min(value.length(), MAX_CHARS);
    StringBuilder b = new StringBuilder(shown + 16).append('\'');
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '\'') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('\'');
    if (shown < value.length()) {
      b.append("… (").append(value.length()).append(" characters)");
    }
    return b.toString();
  }

  /**
   * A description as it may travel in a trailer: unchanged while gRPC's percent-encoding keeps it under
   * {@link #MAX_ENCODED_BYTES}; otherwise with every character outside printable ASCII escaped and cut to
   * {@link #MAX_DESCRIPTION} characters. A last guard for descriptions that embed text the server did not write,
   * such as an exception's message or a path from a request.
   */
  public static String description(String description) {
    if (description == null || encodedBytes(description) <= MAX_ENCODED_BYTES) {
      return description;
    }
    StringBuilder b = new StringBuilder(MAX_DESCRIPTION + 40);
    for (int i = 0; i < description.length() && b.length() < MAX_DESCRIPTION; i++) {
      char c = description.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '%') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append("… (cut from ").append(description.length()).append(" characters)").toString();
  }

  /** The size of {@code text} once gRPC has percent-encoded it for a trailer (as UTF-8, three bytes per escape). */
  static int encodedBytes(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      bytes += c >= 0x20 && c <= 0x7e && c != '%' ? 1 : c < 0x80 ? 3 : c < 0x800 ? 6 : 9;
    }
    return bytes;
  }
}
