package dev.shoal.internal.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client's policy for riding out an engine it cannot reach: a server restarting, a connection reset. A request
 * that fails that way is tried again with exponential backoff and jitter until it succeeds, fails for a reason the
 * engine meant, or the deadline passes; the deadline counts from the first failure of that request.
 *
 * <p>Only requests that are safe to repeat go through here: reads, cancels, and spawns, which carry an idempotency
 * key so that the engine answers a repeat with the first attempt's call. What the engine meant (NOT_FOUND,
 * INVALID_ARGUMENT, PERMISSION_DENIED…) is never retried.
 *
 * <p>The deadline is {@value #DEADLINE_PROPERTY} or {@code SHOAL_RETRY_DEADLINE} ({@code 90s}, {@code 2m},
 * {@code 500ms}, {@code PT1M}; {@code 0} turns retries off), one minute by default: longer than a server takes to
 * restart on the same data directory, short enough that a server that is gone for good is reported.
 */
public final class OutageRetry {
  public static final String DEADLINE_PROPERTY = "shoal.retryDeadline";
  public static final String DEADLINE_VARIABLE = "SHOAL_RETRY_DEADLINE";
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(1);
  static final Duration MAX_DEADLINE = Duration.ofDays(1);
  static final long INITIAL_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(5);

  private static final Pattern SIMPLE = Pattern.compile("([0-9]+)(ms|s|m|h)?");

  /** Waits between attempts; a test passes one that only advances its fake clock. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final long deadlineNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private final RandomGenerator random;

  OutageRetry(Duration deadline, LongSupplier nanoTime, Sleeper sleeper, RandomGenerator random) {
    this.deadlineNanos = deadline.toNanos();
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.random = random;
  }

  /** The policy configured for this process, on the real clock. */
  public static OutageRetry configured() {
    return new OutageRetry(configuredDeadline(), System::nanoTime, TimeUnit.NANOSECONDS::sleep,
        ThreadLocalRandom.current());
  }

  /** How long requests are retried through an outage, as configured; read on each use so that tests may set it. */
  public static Duration configuredDeadline() {
    String value = System.getProperty(DEADLINE_PROPERTY);
    String source = DEADLINE_PROPERTY;
    if (value == null || value.isBlank()) {
      value = System.getenv(DEADLINE_VARIABLE);
      source = DEADLINE_VARIABLE;
    }
    return value == null || value.isBlank() ? DEFAULT_DEADLINE : parseDeadline(source, value.strip());
  }

  /**
   * Reads a deadline: a whole number with {@code ms}, {@code s}, {@code m} or {@code h} (seconds when bare), or an
   * ISO-8601 duration; 0 to 1 day.
   */
  static Duration parseDeadline(String source, String value) {
    Duration parsed;
    Matcher simple = SIMPLE.matcher(value.toLowerCase(Locale.ROOT));
    try {
      if (simple.matches()) {
        long amount = Long.parseLong(simple.group(1));
        String unit = simple.group(2) == null ? "s" : simple.group(2);
        parsed = switch (unit) {
          case "ms" -> Duration.ofMillis(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofSeconds(amount);
        };
      } else {
        parsed = Duration.parse(value);
      }
    } catch (ArithmeticException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(source + " must be a duration such as 90s, 2m, 500ms or PT1M, was '"
          + value + "'", e);
    }
    if (parsed.isNegative() || parsed.compareTo(MAX_DEADLINE) > 0) {
      throw new IllegalArgumentException(source + " must be 0..1 day (0 turns retries off), was '" + value + "'");
    }
    return parsed;
  }

  /** The deadline this policy retries for. */
  public Duration deadline() {
    return Duration.ofNanos(deadlineNanos);
  }

  /** Runs {@code attempt} until it succeeds, fails for good, or this policy's deadline passes. */
  public <T> T call(String what, Supplier<T> attempt) {
    return call(what, Long.MAX_VALUE, attempt);
  }

  /**
   * Runs {@code attempt} until it succeeds, fails for a reason the engine meant, or the deadline passes, whichever
   * of this policy's deadline and {@code callerDeadlineNanos} (on the same clock) comes first.
   *
   * @param what what the attempt does, for the message when the engine stays unreachable
   * @throws StatusRuntimeException the failure that ended the retries: one the engine meant as it was, or the last
   *     outage with how long it was retried for; CANCELLED when the thread was interrupted while waiting
   */
  public <T> T call(String what, long callerDeadlineNanos, Supplier<T> attempt) {
    long firstFailure = 0;
    int failures = 0;
    while (true) {
      try {
        return attempt.get();
      } catch (StatusRuntimeException e) {
        if (!isOutage(e)) {
          throw e;
        }
        long now = nanoTime.getAsLong();
        if (failures == 0) {
          firstFailure = now;
        }
        failures++;
        long giveUpAt = Math.min(saturatedAdd(firstFailure, deadlineNanos), callerDeadlineNanos);
        long left = giveUpAt - now;
        if (left <= 0) {
          throw gaveUp(e, what, failures, now - firstFailure);
        }
        sleep(Math.min(delayNanos(failures), left), what, e);
      }
    }
  }

  /** The wait before attempt {@code failures + 1}: exponential, capped, and jittered over its upper half. */
  long delayNanos(int failures) {
    long ceiling = INITIAL_DELAY_NANOS;
    for (int i = 1; i < failures && ceiling < MAX_DELAY_NANOS; i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, MAX_DELAY_NANOS);
    // Jitter spreads the clients that lost the same server, so that they do not all come back at one instant.
    return ceiling / 2 + random.nextLong(ceiling / 2 + 1);
  }

  private void sleep(long nanos, String what, StatusRuntimeException cause) {
    try {
      sleeper.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted while waiting to retry: " + what).withCause(cause)
          .asRuntimeException();
    }
  }

  private static StatusRuntimeException gaveUp(StatusRuntimeException last, String what, int failures,
      long retriedNanos) {
    Status status = last.getStatus();
    String detail = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
    return status.withDescription(detail + " (tried to " + what + " " + failures
        + (failures == 1 ? " time" : " times") + " over " + TimeUnit.NANOSECONDS.toMillis(retriedNanos)
        + " ms; set " + DEADLINE_VARIABLE + " to wait longer for the engine)").withCause(last).asRuntimeException();
  }

  /**
   * Whether a failure means the engine could not be reached rather than that it refused: UNAVAILABLE (connection
   * refused or reset, a server shutting down, a store briefly unreachable), or a deadline that ran out while the
   * channel was still connecting.
   */
  public static boolean isOutage(StatusRuntimeException e) {
    Status status = e.getStatus();
    return switch (status.getCode()) {
      case UNAVAILABLE -> true;
      case DEADLINE_EXCEEDED -> status.getDescription() != null
          && status.getDescription().contains("waiting_for_connection");
      default -> false;
    };
  }

  /**
   * Whether a failure proves that the request never reached the engine: the connection could not even be made, or
   * had closed before the request's first byte was written ({@link UnsentRequests}). Only such a failure may be
   * retried for a request that is not safe to repeat.
   */
  public static boolean neverSent(StatusRuntimeException e) {
    if (!isOutage(e)) {
      return false;
    }
    if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return true;
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnsentRequests.NotSent) {
        return true;
      }
    }
    return false;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
