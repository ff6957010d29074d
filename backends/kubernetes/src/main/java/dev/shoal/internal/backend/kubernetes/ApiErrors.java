package dev.shoal.internal.backend.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Locale;

/**
 * How the backend treats an error of the API server while it makes a container's pod or secret: a passing one is
 * tried again, with a backoff, and never counts against the function's start; a refusal ends the container's start
 * at once with the API server's own words, since asking again would be refused again.
 *
 * <p>Passing: no answer at all (the API server restarting, a dropped connection; fabric8 gives these no code),
 * 408, 429 (the API server's priority and fairness, or a webhook's rate limit), 500, 502, 503, 504, and a 403 for
 * an exhausted {@code ResourceQuota}, which frees up as other pods end. A refusal: every other code, such as 403 for RBAC or a
 * namespace enforcing a Pod Security Standard that the pod breaks, 404 for a namespace that does not exist, 422 for
 * a pod the API server finds invalid (a pod template with a bad field).
 */
final class ApiErrors {
  /** The first wait before a passing error is tried again; it doubles each time up to {@link #MAX_BACKOFF_MILLIS}. */
  static final long FIRST_BACKOFF_MILLIS = 500;
  static final long MAX_BACKOFF_MILLIS = 30_000;

  private ApiErrors() {}

  /** Whether {@code e} passes, so that the same request is worth making again after a while. */
  static boolean passing(KubernetesClientException e) {
    int code = e.getCode();
    return switch (code) {
      case -1, 0, 408, 429, 500, 502, 503, 504 -> true;
      case 403 -> quotaExceeded(e);
      default -> false;
    };
  }

  /** Whether the API server answered that the object exists already: a request repeated after a lost answer. */
  static boolean alreadyExists(KubernetesClientException e) {
    return e.getCode() == 409;
  }

  private static boolean quotaExceeded(KubernetesClientException e) {
    String message = e.getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).contains("exceeded quota");
  }

  /**
   * How long to wait before try {@code attempt} (2 for the first repeat): {@link #FIRST_BACKOFF_MILLIS} doubled
   * for each earlier repeat, at most {@link #MAX_BACKOFF_MILLIS}, less up to a fifth at random so that the pods of
   * a burst that failed together do not all ask again at the same instant.
   */
  static long backoffMillis(int attempt, double random) {
    int doublings = Math.min(Math.max(attempt - 2, 0), 16);
    long full = Math.min(FIRST_BACKOFF_MILLIS << doublings, MAX_BACKOFF_MILLIS);
    return full - (long) (full * 0.2 * random);
  }

  /** The API server's answer in a few words for a log: its code and its message. */
  static String describe(KubernetesClientException e) {
    return (e.getCode() <= 0 ? "no answer" : "HTTP " + e.getCode()) + ": " + e.getMessage();
  }
}
