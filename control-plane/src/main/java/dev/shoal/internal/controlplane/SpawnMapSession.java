package dev.shoal.internal.controlplane;

import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredCall;
import dev.shoal.internal.store.StoredMap;
import dev.shoal.protocol.v1.MapInput;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The control plane's side of one detached map upload. Each batch of inputs is stored before it is queued, and
 * the map itself is stored at the end, so that a map id handed to a caller always has all of its inputs.
 */
public final class SpawnMapSession {
  private final SpawnedMapRecord map;
  private final DurableWriter writer;
  private final StateStore store;
  private final Map<String, CallRecord> calls;
  private final Clock clock;
  private long received;

  SpawnMapSession(SpawnedMapRecord map, DurableWriter writer, StateStore store, Map<String, CallRecord> calls,
      Clock clock) {
    this.map = map;
    this.writer = writer;
    this.store = store;
    this.calls = calls;
    this.clock = clock;
    calls.put(map.id, map);
  }

  public String mapId() {
    return map.id;
  }

  public void add(List<MapInput> inputs) {
    List<StoredCall> stored = new ArrayList<>(inputs.size());
    List<InputRecord> records = new ArrayList<>(inputs.size());
    for (MapInput in : inputs) {
      map.pool.controlPlane.blobs.requireArgument(in.getArgs());
    }
    for (MapInput in : inputs) {
      String id = map.id + "-" + in.getIndex();
      stored.add(StoredCall.pending(id, map.pool.app.id, map.functionId(), map.id, in.getIndex(),
          in.getArgs().getCodec(), in.getArgs().getData().toByteArray(), BlobRouting.blobOf(in.getArgs()),
          clock.instant()));
      records.add(new InputRecord(id, map, in.getIndex(), in.getArgs()));
    }
    writer.insert(stored).join();
    received += inputs.size();
    map.activity().submitted(records.size());
    map.pool.submit(records);
  }

  public void end(long total) {
    ControlPlane.MapSession.requireTotal(map.id, total, received);
    map.activity().total(total, clock.millis());
    store.insertMap(new StoredMap(map.id, map.pool.app.id, map.pool.id, total, clock.instant()));
  }

  /** The caller went away before the end: what it sent is cancelled. */
  public void abandon() {
    map.cancel("the caller of map " + map.id + " went away before sending all of its inputs");
    calls.remove(map.id);
    cancelStoredInputs(store, map.pool.app.id, map.id, clock.instant());
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
