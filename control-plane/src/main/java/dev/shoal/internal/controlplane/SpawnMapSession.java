package dev.shoal.internal.controlplane;

import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredCall;
import dev.shoal.internal.store.StoredMap;
import dev.shoal.protocol.v1.MapInput;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * The control plane's side of one detached map upload. Each batch of inputs is stored before it is queued, and
 * the map itself is stored at the end, so that a map id handed to a caller always has all of its inputs.
 *
 * <p>A map whose client made an idempotency key for it can be uploaded again, from its first input, after an
 * upload broke or the server restarted: each input is stored under the map's key and its index, so an input the
 * store has already is neither stored nor queued twice, and a map stored whole is answered with its id again.
 */
public final class SpawnMapSession {
  /** A map key leaves room for the index its inputs' keys add, within the 128 characters of a key. */
  private static final Pattern MAP_KEY = Pattern.compile("[\\x21-\\x7e]{1,100}");

  private final SpawnedMapRecord map;
  private final DurableWriter writer;
  private final StateStore store;
  private final Map<String, CallRecord> calls;
  private final Clock clock;
  private final String key;
  private final Runnable onStored;
  private long received;

  /**
   * @param key the client's key for this map, or null for none
   * @param onStored runs once the map is stored whole
   */
  SpawnMapSession(SpawnedMapRecord map, DurableWriter writer, StateStore store, Map<String, CallRecord> calls,
      Clock clock, String key, Runnable onStored) {
    this.map = map;
    this.writer = writer;
    this.store = store;
    this.calls = calls;
    this.clock = clock;
    this.key = key;
    this.onStored = onStored;
    calls.put(map.id, map);
  }

  /** Refuses a map key that breaks the rule, naming the rule. */
  static void requireValidKey(String key) {
    if (!MAP_KEY.matcher(key).matches()) {
      String shown = key.length() > 40 ? key.substring(0, 40) + "…" : key;
      throw new CoreException(CoreException.Kind.INVALID_ARGUMENT,
          "a detached map's idempotency key must be 1..100 printable ASCII characters without"
              + " spaces, was '" + shown + "' (" + key.length() + " characters)");
    }
  }

  /** The idempotency key of a keyed map's input: the map's key and the input's index. */
  static String inputKey(String mapKey, long index) {
    return mapKey + "/" + index;
  }

  public String mapId() {
    return map.id;
  }

  public void add(List<MapInput> inputs) {
    List<StoredCall> stored = new ArrayList<>(inputs.size());
    List<InputRecord> records = new ArrayList<>(inputs.size());
    for (MapInput in : inputs) {
      map.pool.host.blobs().requireArgument(in.getArgs());
    }
    for (MapInput in : inputs) {
      String id = map.id + "-" + in.getIndex();
      StoredCall row = StoredCall.pending(id, map.pool.app.id, map.functionId(), map.id, in.getIndex(),
          in.getArgs().getCodec(), in.getArgs().getData().toByteArray(), BlobRouting.blobOf(in.getArgs()),
          clock.instant());
      stored.add(key == null ? row : row.withIdempotencyKey(inputKey(key, in.getIndex())));
      records.add(new InputRecord(id, map, in.getIndex(), in.getArgs()));
    }
    Map<String, String> already;
    try {
      already = writer.insert(stored).join();
    } catch (CompletionException e) {
      throw new CoreException(CoreException.Kind.UNAVAILABLE, "the inputs of map " + map.id + " could not be stored: "
          + e.getCause(), e.getCause());
    }
    received += inputs.size();
    if (!already.isEmpty()) {
      // Sent again: what the store had is queued already (or finished), here or by recover().
      records.removeIf(r -> already.containsKey(r.id));
    }
    map.activity().submitted(records.size());
    map.pool.submit(records);
  }

  public void end(long total) {
    MapSession.requireTotal(map.id, total, received);
    map.activity().total(total, clock.millis());
    if (key == null || store.map(map.id).isEmpty()) {
      try {
        store.insertMap(new StoredMap(map.id, map.pool.app.id, map.pool.id, total, clock.instant()));
      } catch (IllegalArgumentException e) {
        // Another upload of the same keyed map stored it first.
        if (key == null || store.map(map.id).isEmpty()) {
          throw e;
        }
      }
    }
    onStored.run();
  }

  /** The caller went away before the end: what it sent is cancelled. */
  public void abandon() {
    map.cancel("the caller of map " + map.id + " went away before sending all of its inputs");
    calls.remove(map.id);
    cancelStoredInputs(store, map.pool.app.id, map.id, clock.instant());
  }

  /**
   * The upload's stream broke before its end, without the caller saying it gave up. A keyed map is kept for its
   * client to upload again, as after a server restart: its stored inputs run, and the next upload with its key
   * adds the rest. A map without a key cannot be resumed, so it is abandoned.
   */
  public void disconnected() {
    if (key == null) {
      abandon();
    }
  }

  /** Records every stored input of a detached map that has no outcome yet as cancelled. */
  static void cancelStoredInputs(StateStore store, String appId, String mapId, java.time.Instant at) {
    List<dev.shoal.internal.store.CallCompletion> cancelled = new ArrayList<>();
    for (StoredCall c : store.unfinishedCalls(appId)) {
      if (mapId.equals(c.mapId())) {
        cancelled.add(new dev.shoal.internal.store.CallCompletion(c.callId(),
            dev.shoal.internal.store.CallState.CANCELLED, null, at));
      }
    }
    store.completeCalls(cancelled);
  }
}
