package dev.shoal.internal.client.bucket;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * The rules a bucket mount's settings follow, checked when the mount is defined so that a wrong one fails in the
 * caller rather than in a container. Each check returns what is wrong, or null.
 */
public final class BucketRules {
  /** S3's general-purpose bucket names (the AWS S3 user guide, "Bucket naming rules"). */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern MOUNT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  /** S3's longest key; a prefix is part of every key under it. */
  private static final int MAX_PREFIX = 1024;

  private BucketRules() {}

  /** What is wrong with a bucket name, by S3's rules, or null. */
  public static String bucketProblem(String bucket) {
    String why = null;
    if (!BUCKET.matcher(bucket).matches()) {
      why = "must be 3..63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit";
    } else if (bucket.contains("..")) {
      why = "must not hold two adjacent periods";
    } else if (IP_ADDRESS.matcher(bucket).matches()) {
      why = "must not look like an IP address";
    } else if (bucket.startsWith("xn--") || bucket.startsWith("sthree-")) {
      why = "must not start with 'xn--' or 'sthree-', which S3 reserves";
    } else if (bucket.endsWith("-s3alias") || bucket.endsWith("--ol-s3")) {
      why = "must not end with '-s3alias' or '--ol-s3', which S3 reserves";
    }
    return why == null ? null : "bucket name '" + bucket + "' " + why;
  }

  /** What is wrong with a key prefix, or null; a prefix is relative and names no {@code .} or {@code ..}. */
  public static String prefixProblem(String prefix) {
    if (prefix.isEmpty()) {
      return null;
    }
    String why = null;
    if (prefix.length() > MAX_PREFIX) {
      why = "is longer than " + MAX_PREFIX + " characters";
    } else if (prefix.startsWith("/")) {
      why = "must not start with '/': it is relative to the bucket";
    } else if (prefix.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
      why = "must not hold control characters or '\\'";
    } else {
      String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
      for (String segment : trimmed.split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          why = "must not hold an empty, '.' or '..' segment";
          break;
        }
      }
    }
    return why == null ? null : "bucket prefix '" + prefix + "' " + why;
  }

  /** {@code prefix} as a directory: ending with {@code '/'}, or empty. */
  public static String directoryPrefix(String prefix) {
    return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
  }

  /** What is wrong with an S3-compatible store's endpoint, or null. */
  public static String endpointProblem(URI endpoint) {
    String why = null;
    if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
      why = "must start with http:// or https://";
    } else if (endpoint.getHost() == null) {
      why = "must name a host";
    } else if (endpoint.getUserInfo() != null) {
      why = "must not carry credentials: give the mount a secret(...) instead";
    } else if (endpoint.getRawPath() != null && !endpoint.getRawPath().isEmpty()
        && !endpoint.getRawPath().equals("/")) {
      why = "must not have a path: the bucket and prefix are set apart";
    } else if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
      why = "must not have a query or fragment";
    }
    if (why == null) {
      return null;
    }
    // The URI is not echoed whole: a mistaken one might hold a credential.
    String shown = endpoint.getHost() != null ? endpoint.getScheme() + "://" + endpoint.getHost()
        : endpoint.getScheme() != null ? endpoint.getScheme() + ":…" : "without a scheme";
    return "bucket endpoint " + shown + " " + why;
  }

  /** What is wrong with the name a function gives a bucket mount, or null. */
  public static String mountNameProblem(String name) {
    if (!MOUNT_NAME.matcher(name).matches()) {
      return "a bucket mount's name is 1..63 letters, digits, '.', '_' or '-', starting with a letter or digit;"
          + " was '" + name + "'";
    }
    return null;
  }
}
