package dev.shoal.internal.dashboard;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may act through the dashboard: holders of the server's token, sent as {@code Authorization: Bearer}, or
 * people who logged in with it and hold a session id in an HttpOnly cookie. The token itself never goes back to
 * the browser; a session id is a random value that means nothing outside this process.
 */
final class Sessions {
  static final String COOKIE = "shoal_session";
  /** The most sessions kept; the oldest is forgotten first, which logs it out. */
  private static final int MAX_SESSIONS = 1_000;

  private final byte[] token;
  private final SecureRandom random = new SecureRandom();
  // Guarded by this; oldest first.
  private final LinkedHashMap<String, Boolean> sessions = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > MAX_SESSIONS;
    }
  };

  Sessions(String token) {
    this.token = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  boolean isToken(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(token, candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Starts a session for someone who presented the token; returns its id. */
  synchronized String open() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    sessions.put(id, Boolean.TRUE);
    return id;
  }

  synchronized boolean isOpen(String id) {
    return id != null && sessions.containsKey(id);
  }

  synchronized void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }
}
