package dev.shoal.internal.store;

import java.time.Instant;

/**
 * A spawned call and its one input. A detached map's inputs are calls too, with the map's id.
 *
 * @param mapId the detached map this input belongs to, or null
 * @param index the input's position in its map, 0 otherwise
 * @param args the encoded argument; null once expired
 * @param result the encoded final result; null until final, and after it expired
 * @param expired whether the payloads were forgotten after the retention period
 * @param idempotencyKey the key the client made for this spawn, unique within the call's app; null when the client
 *     sent none, and once the call expired
 */
public record StoredCall(
    String callId, String appId, String functionId, String mapId, long index, byte[] args, CallState state,
    int attempt, byte[] result, boolean expired, Instant createdAt, Instant finishedAt, String idempotencyKey) {

  /** A new call without an idempotency key, as {@link StateStore#insertCalls} takes it. */
  public static StoredCall pending(
      String callId, String appId, String functionId, String mapId, long index, byte[] args, Instant createdAt) {
    return new StoredCall(callId, appId, functionId, mapId, index, args, CallState.PENDING, 1, null, false,
        createdAt, null, null);
  }

  /** This call carrying the key its client made for it, so that a repeated spawn finds it instead of a new call. */
  public StoredCall withIdempotencyKey(String key) {
    return new StoredCall(callId, appId, functionId, mapId, index, args, state, attempt, result, expired, createdAt,
        finishedAt, key);
  }
}
