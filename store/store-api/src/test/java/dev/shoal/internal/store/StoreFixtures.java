package dev.shoal.internal.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

/**
 * Builders for the apps, calls and outcomes that {@link StateStoreContract} stores.
 *
 * <p>Every instant is a whole number of milliseconds after {@link #T0}, because stores may keep no more than
 * microseconds (PostgreSQL does) and the contract should not depend on finer precision.
 */
public final class StoreFixtures {
  /** The instant every test counts from. */
  public static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private StoreFixtures() {}

  /** The instant {@code millis} milliseconds after {@link #T0}. */
  public static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  /** An app with a small spec and two functions. */
  public static StoredApp app(
      String appId, String environment, String name, AppState state, int version, Instant createdAt) {
    return new StoredApp(appId, environment, name, state, version, bytes("spec of " + appId),
        Map.of("square", appId + "-fn-square", "cube", appId + "-fn-cube"), createdAt);
  }

  /** A run (version 0) in the {@code main} environment. */
  public static StoredApp run(String appId, AppState state, Instant createdAt) {
    return app(appId, "main", appId + "-name", state, 0, createdAt);
  }

  /** A deployed version of {@code name}. */
  public static StoredApp deployment(String appId, String environment, String name, int version) {
    return app(appId, environment, name, AppState.DEPLOYED, version, at(version));
  }

  /** A pending call, not part of a map, whose input names it. */
  public static StoredCall call(String callId, String appId, Instant createdAt) {
    return StoredCall.pending(callId, appId, appId + "-fn-square", null, 0, bytes("args of " + callId), createdAt);
  }

  /** A pending input of a detached map. */
  public static StoredCall mapInput(String callId, String appId, String mapId, long index, Instant createdAt) {
    return StoredCall.pending(callId, appId, appId + "-fn-square", mapId, index, bytes("input " + index), createdAt);
  }

  /** A pending call, not part of a map, that carries the idempotency key its client made. */
  public static StoredCall keyed(String callId, String appId, String key, Instant createdAt) {
    return call(callId, appId, createdAt).withIdempotencyKey(key);
  }

  public static CallCompletion succeeded(String callId, byte[] result, Instant finishedAt) {
    return new CallCompletion(callId, CallState.SUCCEEDED, result, finishedAt);
  }

  public static CallCompletion ended(String callId, CallState state, Instant finishedAt) {
    return new CallCompletion(callId, state, bytes(state + " of " + callId), finishedAt);
  }

  /** The call as a store should return it after {@code completion}. */
  public static StoredCall completed(StoredCall call, CallCompletion completion) {
    return new StoredCall(call.callId(), call.appId(), call.functionId(), call.mapId(), call.index(), call.args(),
        completion.state(), call.attempt(), completion.result(), false, call.createdAt(), completion.finishedAt(),
        call.argsCodec(), call.argsBlob(), completion.result() == null ? null : completion.resultBlob(),
        call.idempotencyKey());
  }

  /** The call as a store should return it after its payloads expired. */
  public static StoredCall expired(StoredCall call, CallCompletion completion) {
    return new StoredCall(call.callId(), call.appId(), call.functionId(), call.mapId(), call.index(), null,
        completion.state(), call.attempt(), null, true, call.createdAt(), completion.finishedAt(), call.argsCodec(),
        null, null, null);
  }

  public static StoredCall withAttempt(StoredCall call, int attempt) {
    return new StoredCall(call.callId(), call.appId(), call.functionId(), call.mapId(), call.index(), call.args(),
        call.state(), attempt, call.result(), call.expired(), call.createdAt(), call.finishedAt(), call.argsCodec(),
        call.argsBlob(), call.resultBlob(), call.idempotencyKey());
  }

  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes that no text encoding would produce, seeded so that a failure can be reproduced. */
  public static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Every byte value from 0 to 255 once, in order, so that no value is mangled in transit. */
  public static byte[] everyByteValue() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }
}
