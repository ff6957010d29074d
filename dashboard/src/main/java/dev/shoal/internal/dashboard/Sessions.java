package dev.shoal.internal.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sessions of people who logged in: a random id, kept by the browser in an HttpOnly cookie, that means
 * nothing outside this process. A session ends at logout, after {@link SessionLimits#idleTimeout} without a
 * request, or {@link SessionLimits#lifetime} after it began, whichever comes first.
 */
final class Sessions {
  static final String COOKIE = "shoal_session";
  /** The most sessions kept; the oldest is forgotten first, which logs it out. */
  private static final int MAX_SESSIONS = 1_000;

  private final Clock clock;
  private final SessionLimits limits;
  // Guarded by this; oldest first.
  private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
      return size() > MAX_SESSIONS;
    }
  };

  Sessions(Clock clock, SessionLimits limits) {
    this.clock = clock;
    this.limits = limits;
  }

  SessionLimits limits() {
    return limits;
  }

  /** Starts a session for someone who proved they hold the token; returns its id. */
  synchronized String open() {
    String id = Secrets.random();
    Instant now = clock.instant();
    sessions.put(id, new Session(now, now));
    return id;
  }

  /** Whether {@code id} is a session that has not ended; a request with it counts as use. */
  synchronized boolean isOpen(String id) {
    if (id == null) {
      return false;
    }
    Session session = sessions.get(id);
    if (session == null) {
      return false;
    }
    Instant now = clock.instant();
    if (now.isAfter(session.lastUsed().plus(limits.idleTimeout()))
        || now.isAfter(session.started().plus(limits.lifetime()))) {
      sessions.remove(id);
      return false;
    }
    sessions.put(id, new Session(session.started(), now));
    return true;
  }

  synchronized void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  private record Session(Instant started, Instant lastUsed) {}
}
