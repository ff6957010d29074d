package dev.shoal.internal.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked reader of the primitive encodings that {@link ByteSink} writes, from an array or
 * through a window on a file.
 *
 * <p>Every read that would pass the end of the data, and every length that could not fit in the
 * bytes that remain, throws a {@link CodecException}, so corrupt input can neither index outside
 * the array nor make the decoder allocate more than the payload could describe.
 *
 * <p>A file is read through a window of {@link #buf}: when a read needs more than the window holds,
 * {@link #fill} moves what is left to its front and copies the next bytes in from the mapped file.
 * Positions in messages are counted from the start of the whole payload. Reading from an array
 * takes the same path, where the one comparison of every read finds the bytes already there.
 */
class ByteSource {
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** The window of a file source. */
  static final int WINDOW = 1 << 20;
  /** The largest part of a file mapped at once. */
  private static final long REGION = 1L << 30;

  final byte[] buf;
  int pos;
  int limit;
  /**
   * Where the window is in the file, or null when the payload is all in {@link #buf}. One field for all of it,
   * because every small payload allocates a source: this keeps it as small as before sources could read files.
   */
  private final FileWindow file;

  /** The file a source reads through its window, and where in the file the window is. */
  private static final class FileWindow {
    final FileChannel channel;
    final long size;
    /** The offset in the file of buf[0]. */
    long base;
    MappedByteBuffer region;
    long regionStart;

    FileWindow(FileChannel channel, long size) {
      this.channel = channel;
      this.size = size;
    }
  }

  ByteSource(byte[] data) {
    buf = data;
    limit = data.length;
    file = null;
  }

  /** A source that reads {@code size} bytes from {@code file} through a window of {@code window} bytes. */
  ByteSource(FileChannel file, long size, int window) {
    buf = new byte[window];
    this.file = new FileWindow(file, size);
  }

  /** How many bytes of the payload are not read yet. */
  final long remaining() {
    return file == null ? limit - pos : file.size - file.base - pos;
  }

  /** Where the next byte is in the whole payload, and how large that is: for messages. */
  private String at() {
    return file == null ? pos + " of " + limit : (file.base + pos) + " of " + file.size;
  }

  final int readByte() {
    if (pos >= limit) {
      fill(1);
    }
    return buf[pos++];
  }

  /**
   * Makes the window hold at least {@code n} unread bytes, {@code n} being at most its size, or
   * throws because the payload ends first.
   */
  private void fill(int n) {
    if (file == null || n > buf.length || n > remaining()) {
      throw truncated();
    }
    FileWindow f = file;
    int unread = limit - pos;
    System.arraycopy(buf, pos, buf, 0, unread);
    f.base += pos;
    pos = 0;
    limit = unread;
    try {
      while (limit < n || limit < buf.length && f.base + limit < f.size) {
        long offset = f.base + limit;
        if (f.region == null || offset >= f.regionStart + f.region.capacity()) {
          f.regionStart = offset;
          f.region = f.channel.map(FileChannel.MapMode.READ_ONLY, offset, Math.min(REGION, f.size - offset));
        }
        int k = (int) Math.min(buf.length - limit, f.regionStart + f.region.capacity() - offset);
        f.region.get((int) (offset - f.regionStart), buf, limit, k);
        limit += k;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the payload's file", e);
    }
  }

  final boolean readBoolean() {
    int b = readByte();
    if (b != 0 && b != 1) {
      throw corrupt("a boolean is neither 0 nor 1");
    }
    return b == 1;
  }

  /**
   * Reads an unsigned LEB128 varint of at most 32 bits. Its fifth byte carries only the top four
   * bits, so a fifth byte with more set (or a continuation bit) describes a number that no encoder
   * wrote: it is refused rather than silently cut to 32 bits, which would read 2^32 as 0.
   */
  final int readVarint() {
    int b = readByte();
    if (b >= 0) {
      return b;
    }
    int result = b & 0x7F;
    for (int shift = 7; shift < 28; shift += 7) {
      b = readByte();
      result |= (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    b = readByte();
    if ((b & 0xF0) != 0) {
      pos--;
      throw corrupt("a varint does not fit in 32 bits");
    }
    return result | b << 28;
  }

  /** Reads an unsigned LEB128 varint of at most 64 bits; the tenth byte may only carry bit 63. */
  final long readVarlong() {
    long result = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      int b = readByte();
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    int b = readByte();
    if ((b & 0xFE) != 0) {
      pos--;
      throw corrupt("a varint does not fit in 64 bits");
    }
    return result | (long) b << 63;
  }

  final int readZigzagInt() {
    int v = readVarint();
    return (v >>> 1) ^ -(v & 1);
  }

  /** Reads a char, written as a varint, refusing a number past 0xFFFF rather than cutting it. */
  final char readChar() {
    int v = readVarint();
    if ((v & 0xFFFF0000) != 0) {
      throw corrupt("a char of " + Integer.toUnsignedString(v) + " is past 0xFFFF");
    }
    return (char) v;
  }

  /** Reads a short, written as a zigzag varint, refusing a number outside its range. */
  final short readShort() {
    int v = readZigzagInt();
    if (v != (short) v) {
      throw corrupt("a short of " + v + " is outside -32768..32767");
    }
    return (short) v;
  }

  final long readZigzagLong() {
    long v = readVarlong();
    return (v >>> 1) ^ -(v & 1);
  }

  final int readFixedInt() {
    need(4);
    int v = (int) INT_LE.get(buf, pos);
    pos += 4;
    return v;
  }

  final long readFixedLong() {
    need(8);
    long v = (long) LONG_LE.get(buf, pos);
    pos += 8;
    return v;
  }

  /** Reads a count of items that each take at least {@code minBytes} bytes, refusing impossible ones. */
  final int readLength(int minBytes) {
    int n = readVarint();
    if (n < 0 || (long) n * minBytes > remaining()) {
      throw corrupt("a length of " + Integer.toUnsignedString(n)
          + " does not fit in the " + remaining() + " bytes that remain");
    }
    return n;
  }

  final byte[] readRaw(int n) {
    if (n < 0 || n > remaining()) {
      throw truncated();
    }
    byte[] out = new byte[n];
    int off = 0;
    while (true) {
      int k = Math.min(n - off, limit - pos);
      System.arraycopy(buf, pos, out, off, k);
      pos += k;
      off += k;
      if (off == n) {
        return out;
      }
      fill(Math.min(n - off, buf.length));
    }
  }

  /** Makes the next {@code n} bytes readable in {@link #buf} at {@link #pos}, if they fit the window. */
  final boolean inWindow(int n) {
    if (n <= limit - pos) {
      return true;
    }
    if (file == null || n > buf.length) {
      return false;
    }
    fill(n);
    return true;
  }

  final String readString() {
    int len = readLength(1);
    if (!inWindow(len)) {
      // Longer than a file's window: its bytes are read out first, which costs a copy of them.
      byte[] bytes = readRaw(len);
      return decodeUtf8(bytes, 0, len);
    }
    int start = pos;
    int end = start + len;
    byte[] b = buf;
    for (int i = start; i < end; i++) {
      if (b[i] < 0) {
        String s = readNonAscii(b, start, end);
        pos = end;
        return s;
      }
    }
    pos = end;
    // Pure ASCII bytes decode identically as Latin-1, the cheapest charset to decode.
    return new String(b, start, len, StandardCharsets.ISO_8859_1);
  }

  private String decodeUtf8(byte[] b, int start, int end) {
    for (int i = start; i < end; i++) {
      if (b[i] < 0) {
        return readNonAscii(b, start, end);
      }
    }
    return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
  }

  private String readNonAscii(byte[] b, int start, int end) {
    char[] out = new char[end - start];
    int n = 0;
    int i = start;
    while (i < end) {
      int c = b[i++] & 0xFF;
      if (c < 0x80) {
        out[n++] = (char) c;
      } else if (c >= 0xC2 && c < 0xE0) {
        out[n++] = (char) ((c & 0x1F) << 6 | continuation(b, i++, end));
      } else if (c >= 0xE0 && c < 0xF0) {
        int c1 = continuation(b, i++, end);
        int c2 = continuation(b, i++, end);
        int ch = (c & 0x0F) << 12 | c1 << 6 | c2;
        if (ch < 0x800) {
          throw corrupt("an overlong character in a string");
        }
        out[n++] = (char) ch;
      } else if (c >= 0xF0 && c < 0xF5) {
        int cp = (c & 0x07) << 18 | continuation(b, i++, end) << 12
            | continuation(b, i++, end) << 6 | continuation(b, i++, end);
        if (cp < 0x10000 || cp > Character.MAX_CODE_POINT) {
          throw corrupt("an invalid code point in a string");
        }
        out[n++] = Character.highSurrogate(cp);
        out[n++] = Character.lowSurrogate(cp);
      } else {
        throw corrupt("an invalid UTF-8 lead byte in a string");
      }
    }
    return new String(out, 0, n);
  }

  private int continuation(byte[] b, int i, int end) {
    if (i >= end || (b[i] & 0xC0) != 0x80) {
      throw corrupt("a truncated character in a string");
    }
    return b[i] & 0x3F;
  }

  final void need(int n) {
    if (n < 0 || n > limit - pos) {
      if (n < 0) {
        throw truncated();
      }
      fill(n);
    }
  }

  final CodecException truncated() {
    return new CodecException("truncated or corrupt payload: it ends early, at byte " + at());
  }

  final CodecException corrupt(String what) {
    return new CodecException("corrupt payload at byte " + at() + ": " + what);
  }
}
