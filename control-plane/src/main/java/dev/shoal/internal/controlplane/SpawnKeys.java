package dev.shoal.internal.controlplane;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The idempotency keys of the spawns this control plane holds in memory: those being stored and those not finished.
 *
 * <p>The store is what makes a key unique for as long as its call's result is kept. This registry covers the
 * moments the store cannot: a repeated spawn that arrives while the first one's batch is still on its way to the
 * store must wait for that batch and get its call id, rather than race it into the store and make a second call.
 * A key leaves the registry when its call finishes (the store answers for it from then on) or when its batch could
 * not be stored (the client retries, and the next attempt claims the key afresh).
 */
final class SpawnKeys {
  /** What a client's key may be: short, printable and unambiguous in logs. */
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");

  private final ConcurrentHashMap<Scoped, Claim> claims = new ConcurrentHashMap<>();

  /** A key within the app it was used in: keys of different apps never meet. */
  private record Scoped(String appId, String key) {}

  /** The call that holds a key, and its id once the store has it (which the store may say is another call's). */
  static final class Claim {
    final String callId;
    final CompletableFuture<String> stored = new CompletableFuture<>();

    Claim(String callId) {
      this.callId = callId;
    }
  }

  /** Refuses a key that breaks the rule, naming the rule. */
  static void requireValid(String key) {
    if (!KEY.matcher(key).matches()) {
      String shown = key.length() > 40 ? key.substring(0, 40) + "…" : key;
      throw new CoreException(CoreException.Kind.INVALID_ARGUMENT,
          "an idempotency key must be 1..128 printable ASCII characters without spaces, was '"
              + shown + "' (" + key.length() + " characters)");
    }
  }

  /**
   * Gives the key to {@code claim}'s call unless a call in memory holds it already.
   *
   * @return null when the key is now {@code claim}'s; otherwise the claim of the call that holds it
   */
  Claim claim(String appId, String key, Claim claim) {
    return claims.putIfAbsent(new Scoped(appId, key), claim);
  }

  /** The key's call is in memory with this claim; for a call put back after a restart, already stored. */
  void hold(String appId, String key, String callId) {
    Claim claim = new Claim(callId);
    claim.stored.complete(callId);
    claims.put(new Scoped(appId, key), claim);
  }

  /**
   * Forgets a key's claim, if it is still {@code claim}: its call finished, or was never kept. The store answers for
   * the key from then on.
   */
  void release(String appId, String key, Claim claim) {
    claims.remove(new Scoped(appId, key), claim);
  }

  /** Forgets a key held by the call {@code callId}, which has finished. */
  void released(String appId, String key, String callId) {
    claims.computeIfPresent(new Scoped(appId, key), (k, c) -> c.callId.equals(callId) ? null : c);
  }
}
