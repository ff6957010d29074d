package dev.shoal;

import dev.shoal.internal.client.SecretClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Environment variables for a function's containers that are kept out of its code and definition — Modal's
 * {@code Secret}.
 *
 * <pre>{@code
 * Secret.create("openai", Map.of("OPENAI_API_KEY", key));   // once; or: shoal secret create openai OPENAI_API_KEY=…
 * static final RemoteFunction<String, String> ask = app.function("ask", q -> call(System.getenv("OPENAI_API_KEY"), q),
 *     FunctionOptions.builder().secret(Secret.fromName("openai")).build());
 * }</pre>
 *
 * <ul>
 *   <li>A named secret lives in the engine: sealed with AES-GCM in a server's database (under a key the server
 *       keeps), or in {@code ~/.shoal/secrets} (readable by the user alone) for the embedded engine. Its values
 *       are opened only to start a container of a function that names it; nothing lists or logs them.
 *   <li>An app whose function names a missing secret fails to start, with an error that names it.
 *   <li>{@link #fromMap} is for values the caller has at hand: they travel with the function's definition, as
 *       {@link FunctionOptions.Builder#env} does, and are kept with the app; use a named secret for credentials.
 *   <li>Keys become environment variables of process and pod containers. A named secret's key wins over a
 *       {@code fromMap} one's, which wins over {@code env}; among secrets of one kind, the later one's wins. Thread
 *       containers share the caller's process, whose environment cannot change: they see neither {@code env} nor
 *       secrets.
 * </ul>
 */
public final class Secret {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");

  private final String name;
  private final Map<String, String> values;

  private Secret(String name, Map<String, String> values) {
    this.name = name;
    this.values = values;
  }

  /**
   * The named secret; it is looked up when an app whose function names it starts. Does no I/O.
   *
   * @param name 1..63 letters, digits, '.', '_' or '-', starting with a letter or digit
   */
  public static Secret fromName(String name) {
    return new Secret(checkName(name), Map.of());
  }

  /** A secret made of {@code values}, which travel with the function's definition. */
  public static Secret fromMap(Map<String, String> values) {
    return new Secret(null, checkValues(values));
  }

  /** Creates the named secret in the engine this process uses; fails if it exists. */
  public static void create(String name, Map<String, String> values) {
    create(name, values, false);
  }

  /**
   * Creates the named secret in the engine this process uses, or replaces it when {@code overwrite} is set
   * (containers started from then on get the new values).
   */
  public static void create(String name, Map<String, String> values, boolean overwrite) {
    SecretClient.put(checkName(name), checkValues(values), overwrite);
  }

  /** Deletes the named secret; whether it existed. */
  public static boolean delete(String name) {
    return SecretClient.delete(checkName(name));
  }

  /** The name of a named secret; empty for one made {@link #fromMap}. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The values of a secret made {@link #fromMap}; empty for a named one, whose values stay in the engine. */
  Map<String, String> values() {
    return values;
  }

  /** Names the secret or its keys, never a value. */
  @Override
  public String toString() {
    return name != null ? "Secret(" + name + ")" : "Secret" + values.keySet();
  }

  private static String checkName(String name) {
    Checks.notNull("secret name", name);
    if (!NAME.matcher(name).matches()) {
      throw new InvalidOptionException("a secret name is 1..63 letters, digits, '.', '_' or '-', starting with a"
          + " letter or digit; was '" + name + "'");
    }
    return name;
  }

  private static Map<String, String> checkValues(Map<String, String> values) {
    Checks.notNull("secret values", values);
    if (values.isEmpty()) {
      throw new InvalidOptionException("a secret needs at least one key");
    }
    Map<String, String> copy = new LinkedHashMap<>();
    values.forEach((key, value) -> {
      Checks.notNull("secret key", key);
      if (!KEY.matcher(key).matches()) {
        throw new InvalidOptionException("a secret's key is an environment variable name"
            + " ([A-Za-z_][A-Za-z0-9_]*), was '" + key + "'");
      }
      if (value == null) {
        throw new InvalidOptionException("the value of secret key " + key + " is null");
      }
      copy.put(key, value);
    });
    return Map.copyOf(copy);
  }
}
