package dev.shoal.internal.controlplane.secret;

import dev.shoal.internal.controlplane.CoreException;
import dev.shoal.internal.controlplane.CoreException.Kind;
import dev.shoal.internal.store.StoredSecret;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The engine's named secrets: created, listed by their keys, deleted, and opened only to start a container of a
 * function that names them. A value is never part of a message, a listing or a log line.
 */
public final class Secrets {
  private final SecretShelf shelf;
  private final SecretBox box;
  private final Clock clock;

  public Secrets(SecretShelf shelf, SecretBox box, Clock clock) {
    this.shelf = shelf;
    this.box = box;
    this.clock = clock;
  }

  /**
   * Creates secret {@code name}, or replaces it when {@code overwrite} is set.
   *
   * @return whether a secret of that name was replaced
   */
  public boolean put(String name, Map<String, String> values, boolean overwrite) {
    SecretNames.name(name);
    Map<String, String> sorted = new TreeMap<>(SecretNames.values(name, values));
    Instant now = clock.instant();
    StoredSecret secret = new StoredSecret(name, List.copyOf(sorted.keySet()), box.seal(name, sorted), now, now);
    if (shelf.insert(secret)) {
      return false;
    }
    if (!overwrite) {
      throw new CoreException(Kind.ALREADY_EXISTS, "secret '" + name + "' already exists; replace it with"
          + " `shoal secret create " + name + " KEY=VALUE… --force`");
    }
    shelf.replace(secret);
    return true;
  }

  /** Every secret with its keys, never its values. */
  public List<StoredSecret> list() {
    return shelf.all();
  }

  public boolean delete(String name) {
    return shelf.delete(SecretNames.name(name));
  }

  /** Throws NOT_FOUND, saying how to create it, for the first of {@code names} that does not exist. */
  public void requireAll(List<String> names, String function) {
    for (String name : names) {
      if (shelf.get(SecretNames.name(name)).isEmpty()) {
        throw missing(name, function);
      }
    }
  }

  /**
   * The environment variables of {@code names} together, a later secret's key winning over an earlier one's.
   * NOT_FOUND when one is missing.
   */
  public Map<String, String> environment(List<String> names, String function) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : names) {
      Optional<StoredSecret> secret = shelf.get(SecretNames.name(name));
      if (secret.isEmpty()) {
        throw missing(name, function);
      }
      env.putAll(box.open(name, secret.get().sealed()));
    }
    return env;
  }

  private static CoreException missing(String name, String function) {
    return new CoreException(Kind.NOT_FOUND, "secret '" + name + "', named by function '" + function
        + "', does not exist; create it with `shoal secret create " + name + " KEY=VALUE…` or"
        + " Secret.create(\"" + name + "\", Map.of(…))");
  }
}
