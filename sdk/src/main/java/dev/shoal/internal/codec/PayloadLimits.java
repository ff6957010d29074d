package dev.shoal.internal.codec;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How large an encoded argument or result may be, and from what size it leaves its message for the blob store.
 *
 * @param inlineBytes values up to this size travel inside their message; larger ones are spilled to a file in
 *     {@code spillDirectory} as they are encoded, and sent through the control plane's blob store
 * @param maxBytes the hard limit: encoding stops with a {@link CodecException} naming it as soon as a value passes
 *     it, before anything is sent
 */
// It is a sink's overflow rule until the sink spills; see ByteSink.overflow.
public record PayloadLimits(int inlineBytes, long maxBytes, Path spillDirectory) implements ByteSink.Overflow {
  /** Modal's threshold for inputs and outputs that travel through its blob store. */
  public static final int DEFAULT_INLINE_BYTES = 2 << 20;
  /** Large enough for a 1 GB argument or result, small enough that a runaway list fails early. */
  public static final long DEFAULT_MAX_BYTES = 2_000_000_000L;
  /** Inline values share messages of at most 256 MiB, so one must stay well below that. */
  public static final int MAX_INLINE_BYTES = 64 << 20;
  /** The largest limit accepted: 1 TiB. */
  public static final long MAX_MAX_BYTES = 1L << 40;
  public static final String INLINE_PROPERTY = "shoal.payload.inlineBytes";
  public static final String INLINE_ENV = "SHOAL_PAYLOAD_INLINE_BYTES";
  public static final String MAX_PROPERTY = "shoal.payload.maxBytes";
  public static final String MAX_ENV = "SHOAL_PAYLOAD_MAX_BYTES";

  public PayloadLimits {
    if (inlineBytes < 1024 || inlineBytes > MAX_INLINE_BYTES) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s must be 1,024..%,d bytes, was %,d", INLINE_PROPERTY, MAX_INLINE_BYTES, inlineBytes));
    }
    if (maxBytes < 1 || maxBytes > MAX_MAX_BYTES) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s must be 1..%,d bytes, was %,d", MAX_PROPERTY, MAX_MAX_BYTES, maxBytes));
    }
    if (spillDirectory == null) {
      throw new IllegalArgumentException("spillDirectory must be given");
    }
  }

  /**
   * The limits this process is configured with: {@code -Dshoal.payload.inlineBytes} or {@code
   * SHOAL_PAYLOAD_INLINE_BYTES}, {@code -Dshoal.payload.maxBytes} or {@code SHOAL_PAYLOAD_MAX_BYTES}, and the JVM's
   * temporary directory for spills.
   *
   * @throws IllegalArgumentException naming the setting when one is not a number in its range
   */
  public static PayloadLimits configured() {
    int inline = (int) setting(INLINE_PROPERTY, INLINE_ENV, DEFAULT_INLINE_BYTES, MAX_INLINE_BYTES);
    long max = setting(MAX_PROPERTY, MAX_ENV, DEFAULT_MAX_BYTES, MAX_MAX_BYTES);
    return new PayloadLimits(inline, max, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** These limits with the ones a caller sent with a function, where it sent any (0 means not sent). */
  public PayloadLimits with(long sentInlineBytes, long sentMaxBytes) {
    int inline = sentInlineBytes > 0 ? (int) Math.min(sentInlineBytes, MAX_INLINE_BYTES) : inlineBytes;
    long max = sentMaxBytes > 0 ? Math.min(sentMaxBytes, MAX_MAX_BYTES) : maxBytes;
    return new PayloadLimits(inline, max, spillDirectory);
  }

  private static long setting(String property, String env, long fallback, long most) {
    String raw = System.getProperty(property);
    String source = "-D" + property;
    if (raw == null) {
      raw = System.getenv(env);
      source = env;
    }
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw.strip().replace("_", ""));
      if (value < 1 || value > most) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s must be a whole number of bytes, 1..%,d, was '%s'", source, most, raw));
    }
  }
}
