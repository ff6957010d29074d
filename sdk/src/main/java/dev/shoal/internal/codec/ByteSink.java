package dev.shoal.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * A byte buffer that writes the primitive encodings of the wire format, and that can spill to a file.
 *
 * <p>Integers are LEB128 varints (zigzag-mapped when signed), floating-point numbers are fixed
 * little-endian IEEE bits, and strings are a varint byte length followed by UTF-8 in which an
 * unpaired surrogate is written as its own three-byte sequence, so that every Java string,
 * including malformed ones, comes back unchanged.
 *
 * <p>With {@link PayloadLimits}, the bytes stay in memory up to the inline threshold; past it the
 * buffer becomes a window that is written out to a temporary file (and hashed) whenever it fills,
 * so that a value of any size costs the heap one window rather than its encoded size, and every
 * byte is counted against the hard limit as it is written. Without limits the buffer simply grows,
 * up to 2 GB. The hot path (a write that fits) is the same either way: one comparison, then the
 * bytes; spilling happens only in {@link #grow}.
 */
class ByteSink {
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int MAX_SIZE = Integer.MAX_VALUE - 16;
  /** Strings up to this many chars need at most 126 bytes, so their length fits one varint byte. */
  private static final int SHORT_STRING = 42;
  /** The window of a spilling sink: large enough that writing it out costs little per byte. */
  private static final int WINDOW = 1 << 20;
  /** Long strings and arrays are written in pieces of at most this many elements once spilling. */
  static final int CHUNK = 8192;

  byte[] buf;
  int pos;
  /**
   * What the sink does when its buffer is full: null to grow it, up to 2 GB; the {@link PayloadLimits} to grow it
   * up to the inline threshold and then spill; the {@link Spill} its windows go to past that. One field rather
   * than one per piece of spill state, because every small payload allocates a sink: this keeps it as small as it
   * was before sinks could spill.
   */
  private Overflow overflow;

  /** What a full buffer leads to, past growing it: see {@link #overflow}. */
  sealed interface Overflow permits PayloadLimits, Spill {}

  ByteSink(int capacity) {
    this(capacity, null);
  }

  ByteSink(int capacity, PayloadLimits limits) {
    buf = new byte[capacity];
    this.overflow = limits;
  }

  final void ensure(int n) {
    if (n > buf.length - pos) {
      grow(n);
    }
  }

  /** How many bytes were written so far, in memory and spilled. */
  final long size() {
    return overflow instanceof Spill spill ? spill.flushed + pos : pos;
  }

  final boolean spilled() {
    return overflow instanceof Spill;
  }

  /** The limits, or null for a sink that grows in memory. */
  private PayloadLimits limits() {
    return overflow instanceof Spill spill ? spill.limits : (PayloadLimits) overflow;
  }

  /** Makes room for {@code n} more bytes in the buffer: by growing it, or by writing the window out. */
  private void grow(int n) {
    long needed = size() + n;
    PayloadLimits limits = limits();
    if (limits == null) {
      if (needed > MAX_SIZE) {
        throw new CodecException("cannot serialise the value: the payload would exceed 2 GB");
      }
      buf = Arrays.copyOf(buf, (int) Math.min(MAX_SIZE, Math.max(needed, 2L * buf.length)));
      return;
    }
    if (needed > limits.maxBytes()) {
      throw tooLarge(needed);
    }
    if (!spilled() && needed <= limits.inlineBytes()) {
      buf = Arrays.copyOf(buf, (int) Math.min(limits.inlineBytes(), Math.max(needed, 2L * buf.length)));
      return;
    }
    if (!spilled()) {
      overflow = new Spill(limits);
      if (buf.length < WINDOW) {
        buf = Arrays.copyOf(buf, WINDOW);
      }
    }
    flush();
    if (n > buf.length) {
      buf = new byte[n];
    }
  }

  private CodecException tooLarge(long atLeast) {
    return new CodecException(String.format(Locale.ROOT, "the encoded value reached %,d bytes, over the"
        + " limit of %,d bytes; send less (a reference to data in a volume or a bucket, say) or raise the limit"
        + " with -D%s or %s", atLeast, limits().maxBytes(), PayloadLimits.MAX_PROPERTY, PayloadLimits.MAX_ENV));
  }

  /** Writes the window out to the spill file and empties it. */
  private void flush() {
    ((Spill) overflow).write(buf, pos);
    pos = 0;
  }

  /**
   * Makes room for up to {@code wanted} bytes and returns how many fit now, at least one: all of them
   * unless the sink spills, and then at least a window's worth. Bulk writers loop on it.
   */
  private int room(int wanted) {
    int room = buf.length - pos;
    if (room >= wanted) {
      return wanted;
    }
    PayloadLimits limits = limits();
    if (limits == null || !spilled() && size() + wanted <= limits.inlineBytes()) {
      grow(wanted);
      return wanted;
    }
    if (room == 0) {
      grow(Math.min(wanted, CHUNK));
      room = buf.length - pos;
    }
    return Math.min(room, wanted);
  }

  /**
   * Grows the buffer at once to hold {@code n} more bytes when they will stay in memory, rather than
   * by doubling; a hint for arrays whose encoded size is known before their elements are written.
   */
  final void reserve(long n) {
    PayloadLimits limits = limits();
    if (n > buf.length - pos && n <= MAX_SIZE
        && (limits == null || !spilled() && size() + n <= limits.inlineBytes())) {
      grow((int) n);
    }
  }

  final void writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  final void writeVarint(int v) {
    ensure(5);
    byte[] b = buf;
    int p = pos;
    while ((v & ~0x7F) != 0) {
      b[p++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    pos = p;
  }

  final void writeVarlong(long v) {
    ensure(10);
    byte[] b = buf;
    int p = pos;
    while ((v & ~0x7FL) != 0) {
      b[p++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    pos = p;
  }

  final void writeZigzagInt(int v) {
    writeVarint((v << 1) ^ (v >> 31));
  }

  final void writeZigzagLong(long v) {
    writeVarlong((v << 1) ^ (v >> 63));
  }

  final void writeFixedInt(int v) {
    ensure(4);
    INT_LE.set(buf, pos, v);
    pos += 4;
  }

  final void writeFixedLong(long v) {
    ensure(8);
    LONG_LE.set(buf, pos, v);
    pos += 8;
  }

  final void writeRaw(byte[] src) {
    int n = src.length;
    if (n <= buf.length - pos) {
      System.arraycopy(src, 0, buf, pos, n);
      pos += n;
      return;
    }
    for (int off = 0; off < n; ) {
      int k = room(n - off);
      System.arraycopy(src, off, buf, pos, k);
      pos += k;
      off += k;
    }
  }

  /** Writes booleans as one byte each. */
  final void writeBooleans(boolean[] a) {
    for (int i = 0; i < a.length; ) {
      int k = room(a.length - i);
      byte[] b = buf;
      int p = pos;
      for (int end = i + k; i < end; i++) {
        b[p++] = (byte) (a[i] ? 1 : 0);
      }
      pos = p;
    }
  }

  /** Writes a varint byte count and the string's bytes. */
  final void writeString(String s) {
    int n = s.length();
    if (n <= SHORT_STRING) {
      // One pass: the length byte is filled in after the characters, since it cannot exceed 126.
      ensure(1 + 3 * n);
      int start = pos + 1;
      int end = encodeChars(s, 0, n, buf, start);
      buf[pos] = (byte) (end - start);
      pos = end;
      return;
    }
    long len = encodedLength(s, n);
    if (len > MAX_SIZE) {
      throw new CodecException("cannot serialise a string of " + n + " chars: it exceeds 2 GB");
    }
    writeVarint((int) len);
    if (len <= buf.length - pos) {
      pos = encodeChars(s, 0, n, buf, pos);
      return;
    }
    PayloadLimits limits = limits();
    if (limits == null || !spilled() && size() + len <= limits.inlineBytes()) {
      ensure((int) len);
      pos = encodeChars(s, 0, n, buf, pos);
      return;
    }
    // In pieces, each ending after a character that is not a high surrogate, so that no pair is split.
    for (int i = 0; i < n; ) {
      int end = Math.min(n, i + CHUNK);
      while (end < n && Character.isHighSurrogate(s.charAt(end - 1))) {
        end++;
      }
      ensure(3 * (end - i));
      pos = encodeChars(s, i, end, buf, pos);
      i = end;
    }
  }

  private static long encodedLength(String s, int n) {
    long len = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          len += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          len += 2; // Two chars become four bytes.
          i++;
        } else {
          len += 2;
        }
      }
    }
    return len;
  }

  /** Encodes the chars from {@code from} to {@code to}, a range that does not split a surrogate pair. */
  private static int encodeChars(String s, int from, int to, byte[] b, int p) {
    int i = from;
    for (; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      b[p++] = (byte) c;
    }
    for (; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | c >> 6);
        b[p++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c) && i + 1 < to
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xF0 | cp >> 18);
        b[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
        b[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
        b[p++] = (byte) (0x80 | cp & 0x3F);
      } else {
        b[p++] = (byte) (0xE0 | c >> 12);
        b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
        b[p++] = (byte) (0x80 | c & 0x3F);
      }
    }
    return p;
  }

  final byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /**
   * What was written: the bytes, or the spill file with its size and SHA-256 once the last window is
   * out. The caller owns a spill file from here on and deletes it.
   */
  final EncodedValue finish() {
    PayloadLimits limits = limits();
    if (limits != null && size() > limits.maxBytes()) {
      discard();
      throw tooLarge(size());
    }
    if (!spilled()) {
      return new EncodedValue.Inline(toByteArray());
    }
    flush();
    Spill spill = (Spill) overflow;
    overflow = limits;
    return spill.finish();
  }

  /** Deletes the spill file, if any: the value failed to encode, and nothing will read it. */
  final void discard() {
    if (overflow instanceof Spill spill) {
      overflow = spill.limits;
      spill.discard();
    }
  }
}
