package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.RetryPolicy;
import dev.shoal.protocol.v1.VolumeMount;
import dev.shoal.internal.controlplane.volume.VolumeNames;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules for the ids, names and numbers a request carries, checked by the service adapters before anything
 * reaches the control plane or its store. A field that breaks its rule is refused with INVALID_ARGUMENT naming the
 * field and the rule, quoting at most a bounded, escaped prefix of what was sent ({@link BoundedQuote}).
 *
 * <p>Ids are what {@link Ids} makes (a kind, a dash and base-62 digits); names are what the SDK lets a user choose;
 * free text (a class name, a classpath entry, an environment value) is bounded and free of NUL and other control
 * characters, which PostgreSQL refuses in text and which would otherwise come back as INTERNAL. Numbers are checked
 * against what no legitimate client sends (an unsigned field that a Java {@code int} reads as negative, a timeout of
 * centuries), so that a hostile one cannot make the engine allocate or wait without bound.
 */
public final class RequestFields {
  private static final Pattern ID_DIGITS = Pattern.compile("[A-Za-z0-9]{1,64}");
  private static final Pattern METHOD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern APP_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern BACKEND = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  /** A function's name: the SDK's function names, and a Cls pool's, which adds its parameter set's label. */
  static final int MAX_FUNCTION_NAME = 512;
  static final int MAX_CLASS_NAME = 1_024;
  static final int MAX_PATH = 4_096;
  static final int MAX_ENV_VALUE = 32_768;
  /** How many items a repeated field of ids or hashes may hold in one request. */
  public static final int MAX_ITEMS = 10_000;
  /** The longest a caller may ask the engine to hold a wait open: the SDK waits 55 s at a time. */
  public static final long MAX_WAIT_MILLIS = 600_000;

  private RequestFields() {}

  /** A call's id ({@code fc-…}), which a detached map's id also is. */
  public static String callId(String field, String value) {
    return id(field, value, "fc");
  }

  public static String appId(String field, String value) {
    return id(field, value, "ap");
  }

  public static String containerId(String field, String value) {
    return id(field, value, "ct");
  }

  /** A function's id ({@code fu-…}), or a Cls method's ({@code fu-…/method}). */
  public static String functionId(String field, String value) {
    int slash = value.indexOf('/');
    if (slash < 0) {
      return id(field, value, "fu");
    }
    id(field, value.substring(0, slash), "fu");
    if (!METHOD.matcher(value.substring(slash + 1)).matches()) {
      throw invalid(field + " is a function id, optionally followed by '/' and a method name of 1..64 characters"
          + " of [A-Za-z0-9_] not starting with a digit; was " + BoundedQuote.of(value));
    }
    return value;
  }

  private static String id(String field, String value, String kind) {
    if (value.isEmpty()) {
      throw invalid(field + " is missing");
    }
    if (value.length() < 4 || !value.startsWith(kind + "-") || !ID_DIGITS.matcher(value).region(3, value.length())
        .matches()) {
      throw invalid(field + " must be '" + kind + "-' and 1..64 letters or digits, was " + BoundedQuote.of(value));
    }
    return value;
  }

  /** An app's name, as {@code App.named} allows it. */
  public static String appName(String field, String value) {
    if (!APP_NAME.matcher(value).matches()) {
      throw invalid(field + " must be 1..63 characters of [a-z0-9-], not starting or ending with '-', was "
          + BoundedQuote.of(value));
    }
    return value;
  }

  /** A function's or Cls pool's name: 1..512 printable ASCII characters other than '/'. */
  public static String functionName(String field, String value) {
    if (value.isEmpty() || value.length() > MAX_FUNCTION_NAME
        || value.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || c == '/')) {
      throw invalid(field + " must be 1.." + MAX_FUNCTION_NAME + " printable ASCII characters other than space"
          + " and '/', was " + BoundedQuote.of(value));
    }
    return value;
  }

  /** A content hash: SHA-256 in lower-case hex. */
  public static String hash(String field, String value) {
    if (!HASH.matcher(value).matches()) {
      throw invalid(field + " must be 64 lower-case hex digits (a SHA-256), was " + BoundedQuote.of(value));
    }
    return value;
  }

  /** Free text: at most {@code max} characters, none of them NUL or another control character. */
  public static String text(String field, String value, int max) {
    if (value.length() > max) {
      throw invalid(field + " must be at most " + max + " characters, was " + value.length() + " long: "
          + BoundedQuote.of(value));
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw invalid(field + " must not contain NUL or other control characters, but has one at index " + i
            + ": " + BoundedQuote.of(value));
      }
    }
    return value;
  }

  /** A count of repeated items, at most {@link #MAX_ITEMS}. */
  public static void count(String field, int count) {
    if (count > MAX_ITEMS) {
      throw invalid(field + " may hold at most " + MAX_ITEMS + " items in one request, had " + count);
    }
  }

  /** How long a caller asks to wait: an unsigned number of milliseconds, at most {@link #MAX_WAIT_MILLIS}. */
  public static long waitMillis(String field, long value) {
    if (Long.compareUnsigned(value, MAX_WAIT_MILLIS) > 0) {
      throw invalid(field + " must be 0.." + MAX_WAIT_MILLIS + " ms, was " + Long.toUnsignedString(value));
    }
    return value;
  }

  /** Everything the control plane reads from a function's definition, as the SDK's options allow it. */
  public static FunctionDefinition function(String field, FunctionDefinition f) {
    functionName(field + ".name", f.getName());
    atMost(field + ".timeout_ms", f.getTimeoutMs(), 86_400_000);
    atMost(field + ".startup_timeout_ms", f.getStartupTimeoutMs(), 86_400_000);
    RetryPolicy r = f.getRetryPolicy();
    atMost(field + ".retry_policy.max_retries", Integer.toUnsignedLong(r.getMaxRetries()), 10);
    if (!(r.getBackoffCoefficient() >= 0 && r.getBackoffCoefficient() <= 10)) {
      throw invalid(field + ".retry_policy.backoff_coefficient must be 0..10, was " + r.getBackoffCoefficient());
    }
    atMost(field + ".retry_policy.initial_delay_ms", r.getInitialDelayMs(), 60_000);
    atMost(field + ".retry_policy.max_delay_ms", r.getMaxDelayMs(), 60_000);
    atMost(field + ".min_containers", Integer.toUnsignedLong(f.getMinContainers()), 1_000);
    atMost(field + ".max_containers", Integer.toUnsignedLong(f.getMaxContainers()), 10_000);
    atMost(field + ".buffer_containers", Integer.toUnsignedLong(f.getBufferContainers()), 1_000);
    atMost(field + ".scaledown_window_ms", f.getScaledownWindowMs(), 1_200_000);
    atMost(field + ".max_concurrent_inputs", Integer.toUnsignedLong(f.getMaxConcurrentInputs()), 1_000);
    atMost(field + ".target_concurrent_inputs", Integer.toUnsignedLong(f.getTargetConcurrentInputs()),
        Math.max(1, f.getMaxConcurrentInputs()));
    if (!f.getVariantOf().isEmpty()) {
      functionName(field + ".variant_of", f.getVariantOf());
    }
    atMost(field + ".batch_max_size", Integer.toUnsignedLong(f.getBatchMaxSize()), 1_000);
    atMost(field + ".batch_wait_ms", f.getBatchWaitMs(), 600_000);
    if (!(f.getCpu() >= 0 && f.getCpu() <= 64)) {
      throw invalid(field + ".cpu must be 0..64 cores (0 for the default), was " + f.getCpu());
    }
    atMost(field + ".memory_mb", Integer.toUnsignedLong(f.getMemoryMb()), 1_048_576);
    text(field + ".gpu", f.getGpu(), 64);
    count(field + ".env", f.getEnvCount());
    for (Map.Entry<String, String> e : f.getEnvMap().entrySet()) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw invalid(field + ".env names must be 1..256 characters of [A-Za-z0-9_] not starting with a digit,"
            + " was " + BoundedQuote.of(e.getKey()));
      }
      text(field + ".env[" + e.getKey() + "]", e.getValue(), MAX_ENV_VALUE);
    }
    if (!f.getCls().isEmpty()) {
      functionName(field + ".cls", f.getCls());
    }
    count(field + ".methods", f.getMethodsCount());
    for (String method : f.getMethodsList()) {
      if (!METHOD.matcher(method).matches()) {
        throw invalid(field + ".methods must be 1..64 characters of [A-Za-z0-9_] not starting with a digit, was "
            + BoundedQuote.of(method));
      }
    }
    count(field + ".volumes", f.getVolumesCount());
    for (VolumeMount v : f.getVolumesList()) {
      VolumeNames.name(v.getName());
    }
    return f;
  }

  /** Every function of a list, and no two with one name. */
  public static void functions(String field, List<FunctionDefinition> functions) {
    count(field, functions.size());
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < functions.size(); i++) {
      FunctionDefinition f = function(field + "[" + i + "]", functions.get(i));
      if (!names.add(f.getName())) {
        throw invalid(field + " names the function " + BoundedQuote.of(f.getName()) + " twice");
      }
    }
  }

  /** A backend's name; empty for the engine's default. */
  public static String backend(String field, String value) {
    if (!value.isEmpty() && !BACKEND.matcher(value).matches()) {
      throw invalid(field + " must be 1..63 characters of [a-z0-9-], was " + BoundedQuote.of(value));
    }
    return value;
  }

  private static void atMost(String field, long value, long max) {
    if (Long.compareUnsigned(value, max) > 0) {
      throw invalid(field + " must be 0.." + max + ", was " + Long.toUnsignedString(value));
    }
  }

  static StatusRuntimeException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
  }
}
