package dev.shoal.internal.controlplane;

import java.security.SecureRandom;

/** Makes ids such as {@code fc-3kTMd9PqzR1bXw0aLuH2Vn}: a kind prefix and 22 random base-62 digits (about 131 bits). */
public final class Ids {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int ID_DIGITS = 22;

  private Ids() {}

  public static String next(String prefix) {
    // 22 base-62 digits, each from a random byte below 248 (four times 62, so every digit is equally likely):
    // about 131 random bits. 32 bytes are almost always enough; rarely more are drawn.
    StringBuilder b = new StringBuilder(prefix.length() + 1 + ID_DIGITS).append(prefix).append('-');
    byte[] bytes = new byte[32];
    int digits = 0;
    while (digits < ID_DIGITS) {
      RANDOM.nextBytes(bytes);
      for (int i = 0; i < bytes.length && digits < ID_DIGITS; i++) {
        int value = bytes[i] & 0xff;
        if (value < 4 * ALPHABET.length) {
          b.append(ALPHABET[value % ALPHABET.length]);
          digits++;
        }
      }
    }
    return b.toString();
  }
}
