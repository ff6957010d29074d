package dev.shoal.internal.controlplane;

import java.security.SecureRandom;

/** Makes ids such as {@code fc-3kTMd9PqzR1bXw0aLuH2Vn}: a kind prefix and 128 random bits in base 62. */
public final class Ids {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String next(String prefix) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    java.math.BigInteger n = new java.math.BigInteger(1, bytes);
    StringBuilder b = new StringBuilder(prefix).append('-');
    java.math.BigInteger base = java.math.BigInteger.valueOf(ALPHABET.length);
    for (int i = 0; i < 22; i++) {
      java.math.BigInteger[] qr = n.divideAndRemainder(base);
      b.append(ALPHABET[qr[1].intValue()]);
      n = qr[0];
    }
    return b.toString();
  }
}
