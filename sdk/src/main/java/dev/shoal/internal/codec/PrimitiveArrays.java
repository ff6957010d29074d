package dev.shoal.internal.codec;

/**
 * The wire encoding of arrays of primitives other than byte[], which the encoder handles inline.
 *
 * <p>Integral elements are zigzag varints, which keeps arrays of small numbers small; floating-point
 * elements are their fixed-width IEEE bits, so NaN payloads and negative zero survive.
 */
final class PrimitiveArrays {
  private PrimitiveArrays() {}

  /** Writes the tag, the length and the elements of a primitive array. */
  static void write(ByteSink out, int kind, Object array) {
    out.writeByte(kind);
    switch (kind) {
      case Tags.BOOLEAN_ARRAY -> {
        boolean[] a = (boolean[]) array;
        out.writeVarint(a.length);
        out.writeBooleans(a);
      }
      case Tags.CHAR_ARRAY -> {
        char[] a = (char[]) array;
        out.writeVarint(a.length);
        for (char c : a) {
          out.writeVarint(c);
        }
      }
      case Tags.SHORT_ARRAY -> {
        short[] a = (short[]) array;
        out.writeVarint(a.length);
        for (short s : a) {
          out.writeZigzagInt(s);
        }
      }
      case Tags.INT_ARRAY -> {
        int[] a = (int[]) array;
        out.writeVarint(a.length);
        for (int x : a) {
          out.writeZigzagInt(x);
        }
      }
      case Tags.LONG_ARRAY -> {
        long[] a = (long[]) array;
        out.writeVarint(a.length);
        for (long x : a) {
          out.writeZigzagLong(x);
        }
      }
      case Tags.FLOAT_ARRAY -> {
        float[] a = (float[]) array;
        out.writeVarint(a.length);
        out.reserve(4L * a.length); // room for all at once, not by doubling
        for (float x : a) {
          out.writeFixedInt(Float.floatToRawIntBits(x));
        }
      }
      case Tags.DOUBLE_ARRAY -> {
        double[] a = (double[]) array;
        out.writeVarint(a.length);
        out.reserve(8L * a.length);
        for (double x : a) {
          out.writeFixedLong(Double.doubleToRawLongBits(x));
        }
      }
      default -> throw new IllegalStateException("not a primitive array kind: " + kind);
    }
  }

  /** Reads the length and elements after a primitive-array tag. */
  static Object read(ByteSource in, int tag) {
    switch (tag) {
      case Tags.BOOLEAN_ARRAY -> {
        boolean[] a = new boolean[in.readLength(1)];
        for (int i = 0; i < a.length; i++) {
          a[i] = in.readBoolean();
        }
        return a;
      }
      case Tags.CHAR_ARRAY -> {
        char[] a = new char[in.readLength(1)];
        for (int i = 0; i < a.length; i++) {
          a[i] = in.readChar();
        }
        return a;
      }
      case Tags.SHORT_ARRAY -> {
        short[] a = new short[in.readLength(1)];
        for (int i = 0; i < a.length; i++) {
          a[i] = in.readShort();
        }
        return a;
      }
      case Tags.INT_ARRAY -> {
        int[] a = new int[in.readLength(1)];
        for (int i = 0; i < a.length; i++) {
          a[i] = in.readZigzagInt();
        }
        return a;
      }
      case Tags.LONG_ARRAY -> {
        long[] a = new long[in.readLength(1)];
        for (int i = 0; i < a.length; i++) {
          a[i] = in.readZigzagLong();
        }
        return a;
      }
      case Tags.FLOAT_ARRAY -> {
        float[] a = new float[in.readLength(4)];
        for (int i = 0; i < a.length; i++) {
          a[i] = Float.intBitsToFloat(in.readFixedInt());
        }
        return a;
      }
      case Tags.DOUBLE_ARRAY -> {
        double[] a = new double[in.readLength(8)];
        for (int i = 0; i < a.length; i++) {
          a[i] = Double.longBitsToDouble(in.readFixedLong());
        }
        return a;
      }
      default -> throw new IllegalStateException("not a primitive array tag: " + tag);
    }
  }
}
