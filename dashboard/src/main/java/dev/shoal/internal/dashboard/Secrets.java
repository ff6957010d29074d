package dev.shoal.internal.dashboard;

import java.security.SecureRandom;
import java.util.Base64;

/** Random values that stand for a credential: session ids and login links, 256 bits each. */
final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** A new random value in URL-safe base64, so that it fits in a cookie and a query string as it is. */
  static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
