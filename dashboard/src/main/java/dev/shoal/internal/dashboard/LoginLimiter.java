package dev.shoal.internal.dashboard;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many times a client address may present a credential that turns out wrong: a bucket of {@value #BURST}
 * attempts per address, refilled at one every {@code 500 ms}. Trying is allowed while the bucket holds an
 * attempt; a wrong token, login code or Bearer header takes one out, so a client that keeps guessing gets
 * {@code 429} with {@code Retry-After} after five guesses, then at most two a second. Right credentials take
 * nothing, so scripts and a Prometheus scraper sending the token with every request are never slowed.
 *
 * <p>Session cookies are not counted: a session id is 256 random bits, and a page whose session has expired
 * keeps asking every second, which must not lock its owner out of logging in again.
 */
final class LoginLimiter {
  static final int BURST = 5;
  static final Duration REFILL = Duration.ofMillis(500);
  /** The most addresses remembered; the one unseen longest is forgotten first, which refills its bucket. */
  private static final int MAX_CLIENTS = 10_000;

  private final Clock clock;
  // Guarded by this; least recently used first.
  private final LinkedHashMap<InetAddress, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
      return size() > MAX_CLIENTS;
    }
  };

  LoginLimiter(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code client} must wait before its next attempt; zero when it may try now. */
  synchronized Duration waitBeforeTrying(InetAddress client) {
    Bucket bucket = refilled(client);
    if (bucket.attempts() >= 1) {
      return Duration.ZERO;
    }
    long nanos = (long) Math.ceil((1 - bucket.attempts()) * REFILL.toNanos());
    return Duration.ofNanos(Math.max(1, nanos));
  }

  /** Takes one attempt from {@code client}'s bucket: it presented a wrong credential, or asked for a login link. */
  synchronized void spend(InetAddress client) {
    Bucket bucket = refilled(client);
    buckets.put(client, new Bucket(Math.max(0, bucket.attempts() - 1), bucket.at()));
  }

  private Bucket refilled(InetAddress client) {
    Instant now = clock.instant();
    Bucket bucket = buckets.get(client);
    if (bucket == null) {
      bucket = new Bucket(BURST, now);
    } else if (now.isAfter(bucket.at())) {
      double gained = (double) Duration.between(bucket.at(), now).toNanos() / REFILL.toNanos();
      bucket = new Bucket(Math.min(BURST, bucket.attempts() + gained), now);
    }
    buckets.put(client, bucket);
    return bucket;
  }

  /** Attempts left, as of {@code at}; fractional while refilling. */
  private record Bucket(double attempts, Instant at) {}
}
