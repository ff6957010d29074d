package dev.shoal.internal.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The payload codec: turns user arguments and results into bytes and back, with no registration.
 *
 * <p>A payload is one tagged value. Scalars take a tag byte and a varint or fixed-width number;
 * strings and byte arrays a varint length and their bytes; collections and maps are written by
 * kind (list, set, sorted set, queue, map, sorted map) with a varint size; records and ordinary
 * classes as their class and their fields in order. Class names are written once per message and
 * then referenced by index, and are checked by a {@link ClassPolicy} when decoded (and, when the
 * encoder is given the decoding side's policy, when encoded). With {@link PayloadLimits}, a value
 * larger than the inline threshold is spilled to a file as it is written, and a payload in a file
 * is decoded through a window on it. Every method is thread-safe.
 */
public final class Codec {
  /** The codec id carried on the wire next to the bytes. */
  public static final int ID = 1;

  private Codec() {}

  /**
   * Refuses a payload written by another codec than this one, before a byte of it is read: its bytes
   * mean something else, and decoding them as this codec's would misread them silently.
   *
   * @param what what the payload is, for the message, such as "the argument of function f"
   */
  public static void requireId(int codec, String what) {
    if (codec != ID) {
      throw new CodecException(what + " was written by codec " + Integer.toUnsignedString(codec)
          + (codec == 0 ? " (none: the payload carries no codec id)" : "")
          + ", but only codec " + ID + " is known here; is one side running another version of"
          + " Shoal?");
    }
  }

  /**
   * Encodes a value, throwing CodecException naming the offending class and the field path (such
   * as "com.acme.Job.stream") for anything that cannot be serialised.
   */
  public static byte[] encode(Object value) {
    return encode(value, null);
  }

  /**
   * Encodes a value that a decoder under {@code policy} will read, refusing at once, with a CodecException naming
   * the class and the setting that would allow it, a value of a class that the decoder would refuse.
   *
   * @param policy the decoding side's policy, or null to check nothing
   */
  public static byte[] encode(Object value, ClassPolicy policy) {
    byte[] small = encodeSmall(value);
    if (small != null) {
      return small;
    }
    Encoder encoder = new Encoder(policy, null);
    write(encoder, value);
    return encoder.toByteArray();
  }

  /**
   * Encodes a value that a decoder under {@code policy} will read, keeping it in memory up to the inline threshold
   * of {@code limits} and spilling it to a temporary file past that; throws a CodecException as soon as it passes
   * the hard limit, before it is all written.
   */
  public static EncodedValue encode(Object value, ClassPolicy policy, PayloadLimits limits) {
    byte[] small = encodeSmall(value);
    if (small != null) {
      return new EncodedValue.Inline(small);
    }
    Encoder encoder = new Encoder(policy, limits);
    try {
      write(encoder, value);
      return encoder.finish();
    } catch (RuntimeException | Error e) {
      encoder.discard();
      throw e;
    }
  }

  /** The bytes of a value that takes one or two of them, without an encoder; null for any other value. */
  private static byte[] encodeSmall(Object value) {
    if (value instanceof Integer i) {
      int z = (i << 1) ^ (i >> 31);
      if ((z & ~0x7F) == 0) {
        return new byte[] {Tags.INT, (byte) z};
      }
    } else if (value == null) {
      return new byte[] {Tags.NULL};
    } else if (value instanceof Boolean b) {
      return new byte[] {(byte) (b ? Tags.TRUE : Tags.FALSE)};
    }
    return null;
  }

  private static void write(Encoder encoder, Object value) {
    try {
      encoder.writeValue(value);
    } catch (EncodeError e) {
      throw new CodecException(e.getMessage());
    } catch (CodecException | java.io.UncheckedIOException e) {
      throw e;
    } catch (StackOverflowError e) {
      throw new CodecException("cannot serialise " + value.getClass().getName()
          + ": the object graph is cyclic or too deep for the thread's stack", e);
    } catch (RuntimeException e) {
      // User code that runs while writing, such as a collection's iterator, can throw anything.
      throw new CodecException("cannot serialise " + value.getClass().getName() + ": " + e, e);
    }
  }

  /** Decodes a payload, throwing CodecException naming a refused class or describing corruption. */
  public static Object decode(byte[] data, ClassPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (data == null || data.length == 0) {
      throw new CodecException("truncated or corrupt payload: it is empty");
    }
    if (data.length == 2 && data[0] == Tags.INT && data[1] >= 0) {
      int z = data[1];
      return (z >>> 1) ^ -(z & 1);
    }
    return read(new Decoder(data, policy));
  }

  /**
   * Decodes a payload from a file, through a window of it, so that decoding a large value costs the heap the value
   * and a window but not the payload's bytes.
   */
  public static Object decode(Path file, ClassPolicy policy) {
    return decode(file, policy, ByteSource.WINDOW);
  }

  static Object decode(Path file, ClassPolicy policy, int window) {
    Objects.requireNonNull(policy, "policy");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size == 0) {
        throw new CodecException("truncated or corrupt payload: it is empty");
      }
      return read(new Decoder(channel, size, window, policy));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the payload in " + file, e);
    }
  }

  private static Object read(Decoder decoder) {
    Object value;
    try {
      value = decoder.readValue();
    } catch (CodecException e) {
      throw e;
    } catch (StackOverflowError e) {
      throw new CodecException("corrupt payload: values are nested too deeply for the thread's"
          + " stack", e);
    } catch (RuntimeException e) {
      // Factories and constructors reject impossible values (a month of 13, a null key in a
      // sorted map, a record's own validation), and user code runs in hashCode and compareTo.
      throw new CodecException("corrupt or incompatible payload: " + e, e);
    }
    if (decoder.remaining() != 0) {
      throw new CodecException("corrupt payload: " + decoder.remaining()
          + " unexpected bytes follow the value");
    }
    return value;
  }
}
