package dev.shoal.internal.dashboard;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a dashboard session lasts: it ends after {@code idleTimeout} without a request, and {@code lifetime}
 * after its login whatever happens. The page asks the API every second while it is open, so the idle limit ends
 * the sessions of closed pages and sleeping laptops; the lifetime ends the rest. A login link not used within the
 * lifetime expires too.
 *
 * @param idleTimeout how long a session may go unused
 * @param lifetime how long a session lasts at most; at least {@code idleTimeout}
 */
record SessionLimits(Duration idleTimeout, Duration lifetime) {
  static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);
  static final String IDLE_PROPERTY = "shoal.dashboard.sessionIdleTimeout";
  static final String IDLE_ENV = "SHOAL_DASHBOARD_SESSION_IDLE_TIMEOUT";
  static final String LIFETIME_PROPERTY = "shoal.dashboard.sessionLifetime";
  static final String LIFETIME_ENV = "SHOAL_DASHBOARD_SESSION_LIFETIME";
  private static final Pattern SHORT = Pattern.compile("(\\d+)(s|m|h|d)");

  SessionLimits {
    requirePositive(idleTimeout, "idle timeout");
    requirePositive(lifetime, "lifetime");
    if (idleTimeout.compareTo(lifetime) > 0) {
      throw new IllegalArgumentException("a dashboard session's idle timeout (" + idleTimeout + ") must not be"
          + " longer than its lifetime (" + lifetime + ")");
    }
  }

  /**
   * The limits given explicitly where not null, else by the system properties
   * {@code shoal.dashboard.sessionIdleTimeout} and {@code shoal.dashboard.sessionLifetime}, else by the
   * environment variables {@code SHOAL_DASHBOARD_SESSION_IDLE_TIMEOUT} and {@code SHOAL_DASHBOARD_SESSION_LIFETIME},
   * else one hour and 24 hours.
   */
  static SessionLimits resolve(Duration idleTimeout, Duration lifetime, Function<String, String> properties,
      Function<String, String> environment) {
    Duration idle = idleTimeout != null ? idleTimeout
        : configured(IDLE_PROPERTY, IDLE_ENV, properties, environment, DEFAULT_IDLE_TIMEOUT);
    Duration life = lifetime != null ? lifetime
        : configured(LIFETIME_PROPERTY, LIFETIME_ENV, properties, environment, DEFAULT_LIFETIME);
    return new SessionLimits(idle, life);
  }

  static void requirePositive(Duration duration, String what) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("a dashboard session's " + what + " must be positive, was " + duration);
    }
  }

  private static Duration configured(String property, String env, Function<String, String> properties,
      Function<String, String> environment, Duration fallback) {
    String value = properties.apply(property);
    String source = "the system property " + property;
    if (value == null) {
      value = environment.apply(env);
      source = env;
    }
    if (value == null || value.isBlank()) {
      return fallback;
    }
    return parse(value, source);
  }

  /** A duration as people type it ({@code 90s}, {@code 30m}, {@code 8h}, {@code 7d}) or in ISO-8601 ({@code PT8H}). */
  static Duration parse(String value, String source) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(text);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse(value.strip());
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(source + " must be a duration such as 30m, 8h or 7d, was '" + value + "'",
          e);
    }
  }
}
