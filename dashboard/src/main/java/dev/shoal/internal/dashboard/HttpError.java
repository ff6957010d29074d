package dev.shoal.internal.dashboard;

import java.time.Duration;

/** A request the dashboard refuses, with the status to answer and a message naming the problem. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  /** Whole seconds for a {@code Retry-After} header, or 0 for none. */
  final long retryAfterSeconds;

  HttpError(int status, String message) {
    this(status, message, 0);
  }

  private HttpError(int status, String message, long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  static HttpError notFound(String message) {
    return new HttpError(404, message);
  }

  /** 429, with {@code Retry-After} rounded up to whole seconds, as the header takes. */
  static HttpError tooManyRequests(String message, Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return new HttpError(429, message + "; try again in " + seconds + (seconds == 1 ? " second" : " seconds"),
        seconds);
  }
}
