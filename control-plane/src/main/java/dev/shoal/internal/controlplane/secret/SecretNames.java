package dev.shoal.internal.controlplane.secret;

import dev.shoal.internal.controlplane.BoundedQuote;
import dev.shoal.internal.controlplane.CoreException;
import dev.shoal.internal.controlplane.CoreException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules for secrets, checked by the control plane whatever the client checked. A name is like a volume's; a
 * key is an environment variable's name; the values of one secret hold at most {@link #MAX_BYTES} bytes, so that
 * a container's environment stays well inside what the operating system lets a process start with.
 */
public final class SecretNames {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
  static final int MAX_BYTES = 64 * 1024;

  private SecretNames() {}

  /** The name, if it is a valid secret name. */
  public static String name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new CoreException(Kind.INVALID_ARGUMENT, "a secret name is 1..63 letters, digits, '.', '_' or '-',"
          + " starting with a letter or digit; was " + BoundedQuote.of(name));
    }
    return name;
  }

  /** The values, if every key is an environment variable's name and together they are small enough. */
  static Map<String, String> values(String name, Map<String, String> values) {
    if (values.isEmpty()) {
      throw new CoreException(Kind.INVALID_ARGUMENT, "secret '" + name + "' has no keys: give at least one"
          + " KEY=VALUE");
    }
    long bytes = 0;
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!KEY.matcher(e.getKey()).matches()) {
        // The key, not the value, is quoted: a value is never repeated back.
        throw new CoreException(Kind.INVALID_ARGUMENT, "secret '" + name + "': a key is an environment variable"
            + " name ([A-Za-z_][A-Za-z0-9_]*, at most 256 characters); was " + BoundedQuote.of(e.getKey()));
      }
      if (e.getValue().indexOf('\0') >= 0) {
        throw new CoreException(Kind.INVALID_ARGUMENT, "secret '" + name + "': the value of " + e.getKey()
            + " holds a NUL character, which no environment variable can");
      }
      bytes += e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_BYTES) {
      throw new CoreException(Kind.INVALID_ARGUMENT, "secret '" + name + "' holds " + bytes + " bytes; a secret"
          + " holds at most " + MAX_BYTES);
    }
    return values;
  }
}
