package dev.shoal.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable byte buffer that writes the primitive encodings of the wire format.
 *
 * <p>Integers are LEB128 varints (zigzag-mapped when signed), floating-point numbers are fixed
 * little-endian IEEE bits, and strings are a varint byte length followed by UTF-8 in which an
 * unpaired surrogate is written as its own three-byte sequence, so that every Java string,
 * including malformed ones, comes back unchanged.
 */
class ByteSink {
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int MAX_SIZE = Integer.MAX_VALUE - 16;
  /** Strings up to this many chars need at most 126 bytes, so their length fits one varint byte. */
  private static final int SHORT_STRING = 42;

  byte[] buf;
  int pos;

  ByteSink(int capacity) {
    buf = new byte[capacity];
  }

  final void ensure(int n) {
    if (n > buf.length - pos) {
      grow(n);
    }
  }

  private void grow(int n) {
    long needed = (long) pos + n;
    if (needed > MAX_SIZE) {
      throw new CodecException("cannot serialise the value: the payload would exceed 2 GB");
    }
    buf = Arrays.copyOf(buf, (int) Math.min(MAX_SIZE, Math.max(needed, 2L * buf.length)));
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
    ensure(src.length);
    System.arraycopy(src, 0, buf, pos, src.length);
    pos += src.length;
  }

  /** Writes a varint byte count and the string's bytes. */
  final void writeString(String s) {
    int n = s.length();
    if (n <= SHORT_STRING) {
      // One pass: the length byte is filled in after the characters, since it cannot exceed 126.
      ensure(1 + 3 * n);
      int start = pos + 1;
      int end = encodeChars(s, n, buf, start);
      buf[pos] = (byte) (end - start);
      pos = end;
      return;
    }
    long len = encodedLength(s, n);
    if (len > MAX_SIZE) {
      throw new CodecException("cannot serialise a string of " + n + " chars: it exceeds 2 GB");
    }
    writeVarint((int) len);
    ensure((int) len);
    pos = encodeChars(s, n, buf, pos);
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

  private static int encodeChars(String s, int n, byte[] b, int p) {
    int i = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      b[p++] = (byte) c;
    }
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | c >> 6);
        b[p++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c) && i + 1 < n
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
}
