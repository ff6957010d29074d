package dev.shoal.internal.store;

import java.time.Instant;

/**
 * A spawned call and its one input. A detached map's inputs are calls too, with the map's id.
 *
 * @param mapId the detached map this input belongs to, or null
 * @param index the input's position in its map, 0 otherwise
 * @param args the encoded argument (empty when it is in a blob); null once expired
 * @param result the encoded final result; null until final, and after it expired
 * @param expired whether the payloads were forgotten after the retention period
 * @param argsCodec the id of the codec that encoded the argument
 * @param argsBlob the hash of the blob that holds the argument, or null when it is in {@code args}; null once
 *     expired
 * @param resultBlob the hash of the blob that holds the result's value, or null when there is none; null once
 *     expired
 * @param idempotencyKey the key the client made for this spawn, unique within the call's app; null when the client
 *     sent none, and once the call expired
 */
public record StoredCall(
    String callId, String appId, String functionId, String mapId, long index, byte[] args, CallState state,
    int attempt, byte[] result, boolean expired, Instant createdAt, Instant finishedAt, int argsCodec,
    String argsBlob, String resultBlob, String idempotencyKey) {

  /** The codec of every argument stored before the codec id was: the one codec there was. */
  public static final int FIRST_CODEC = 1;

  /** A call whose argument is inline, in the first codec, whose result has no blob and which has no key. */
  public StoredCall(
      String callId, String appId, String functionId, String mapId, long index, byte[] args, CallState state,
      int attempt, byte[] result, boolean expired, Instant createdAt, Instant finishedAt) {
    this(callId, appId, functionId, mapId, index, args, state, attempt, result, expired, createdAt, finishedAt,
        FIRST_CODEC, null, null, null);
  }

  /** A new call with an inline argument of the first codec, as {@link StateStore#insertCalls} takes it. */
  public static StoredCall pending(
      String callId, String appId, String functionId, String mapId, long index, byte[] args, Instant createdAt) {
    return pending(callId, appId, functionId, mapId, index, FIRST_CODEC, args, null, createdAt);
  }

  /**
   * A new call without an idempotency key, as {@link StateStore#insertCalls} takes it.
   *
   * @param argsBlob the hash of the blob that holds the argument, or null when {@code args} holds it
   */
  public static StoredCall pending(String callId, String appId, String functionId, String mapId, long index,
      int argsCodec, byte[] args, String argsBlob, Instant createdAt) {
    return new StoredCall(callId, appId, functionId, mapId, index, args, CallState.PENDING, 1, null, false,
        createdAt, null, argsCodec, argsBlob, null, null);
  }

  /** This call carrying the key its client made for it, so that a repeated spawn finds it instead of a new call. */
  public StoredCall withIdempotencyKey(String key) {
    return new StoredCall(callId, appId, functionId, mapId, index, args, state, attempt, result, expired, createdAt,
        finishedAt, argsCodec, argsBlob, resultBlob, key);
  }
}
