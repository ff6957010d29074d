package dev.shoal.internal.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One-time login codes, carried in a link such as {@code http://127.0.0.1:PORT/?login=CODE}: following the link
 * once starts a session; the code is then spent. A link is printed where only the user sees it (the terminal of
 * the program that serves the dashboard), and a spent code is worthless, so the copy left in the browser's
 * history, a proxy's log or a screenshot lets no one else in. A code not used within {@code lifetime} expires.
 */
final class LoginLinks {
  static final String PARAMETER = "login";
  /** The most codes waiting to be used; the oldest expires first. */
  private static final int MAX_PENDING = 64;

  private final Clock clock;
  private final Duration lifetime;
  // Guarded by this; by code, the instant it was issued; oldest first.
  private final LinkedHashMap<String, Instant> pending = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
      return size() > MAX_PENDING;
    }
  };

  LoginLinks(Clock clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** A new code, good for one login. */
  synchronized String issue() {
    String code = Secrets.random();
    pending.put(code, clock.instant());
    return code;
  }

  /** Spends {@code code}: true the first time for a code issued here within its lifetime, false ever after. */
  synchronized boolean redeem(String code) {
    if (code == null) {
      return false;
    }
    Instant issued = pending.remove(code);
    return issued != null && !clock.instant().isAfter(issued.plus(lifetime));
  }
}
