package dev.shoal.internal.store.memory;

import dev.shoal.internal.store.AppState;
import dev.shoal.internal.store.CallAttempt;
import dev.shoal.internal.store.CallCompletion;
import dev.shoal.internal.store.FunctionHistory;
import dev.shoal.internal.store.MapCounts;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredApp;
import dev.shoal.internal.store.StoredCall;
import dev.shoal.internal.store.StoredContainer;
import dev.shoal.internal.store.StoredMap;
import dev.shoal.internal.store.StoredSecret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A store that lives as long as its JVM: what the embedded engine uses, since its runs end with the caller. One
 * monitor guards everything; the control plane writes in batches, so contention stays low.
 */
public final class MemoryStore implements StateStore {
  private final Map<String, StoredApp> apps = new LinkedHashMap<>();
  private final Map<String, StoredCall> calls = new HashMap<>();
  private final Map<String, List<String>> unfinishedByApp = new HashMap<>();
  private final Map<String, StoredMap> maps = new HashMap<>();
  private final Map<String, StoredSecret> secrets = new TreeMap<>();
  /** In insertion order, which breaks ties of their start times. */
  private final Map<String, StoredContainer> containers = new LinkedHashMap<>();
  private final MemoryFunctionHistory functionHistory = new MemoryFunctionHistory();
  /** Each app's idempotency keys, to the calls that hold them. */
  private final Map<String, Map<String, String>> keysByApp = new HashMap<>();
  /** The calls that may still need a blob: those inserted with one, or completed with one. */
  private final Set<String> withBlobs = new HashSet<>();

  private static final Comparator<StoredApp> OLDEST_FIRST =
      Comparator.comparing(StoredApp::createdAt).thenComparing(StoredApp::appId);

  @Override
  public synchronized void putApp(StoredApp app) {
    apps.put(app.appId(), app);
  }

  @Override
  public synchronized Optional<StoredApp> app(String appId) {
    return Optional.ofNullable(apps.get(appId));
  }

  @Override
  public synchronized List<StoredApp> activeApps() {
    return apps.values().stream().filter(a -> a.state().isActive()).sorted(OLDEST_FIRST).toList();
  }

  @Override
  public synchronized List<StoredApp> apps(String environment) {
    return apps.values().stream()
        .filter(a -> a.environment().equals(environment))
        .sorted(OLDEST_FIRST.reversed())
        .toList();
  }

  @Override
  public synchronized Optional<StoredApp> deployed(String environment, String name) {
    return apps.values().stream()
        .filter(a -> a.state() == AppState.DEPLOYED && a.environment().equals(environment) && a.name().equals(name))
        .max(Comparator.comparingInt(StoredApp::version));
  }

  @Override
  public synchronized void setAppState(String appId, AppState state, Instant at) {
    StoredApp app = apps.get(appId);
    if (app != null) {
      apps.put(appId, app.withState(state));
    }
  }

  @Override
  public synchronized Map<String, String> insertCalls(List<StoredCall> batch) {
    // The whole batch is checked before anything changes, so that a batch that fails keeps nothing. A held key is
    // checked before the id: a call sent again may carry the very id of the call that holds its key.
    Set<String> ids = new HashSet<>();
    for (StoredCall c : batch) {
      if (!ids.add(c.callId())) {
        throw new IllegalArgumentException("call " + c.callId() + " is twice in one batch");
      }
    }
    Map<String, String> duplicates = new LinkedHashMap<>();
    Map<String, String> claimed = new HashMap<>();
    List<StoredCall> inserted = new ArrayList<>();
    for (StoredCall c : batch) {
      if (c.idempotencyKey() != null) {
        String holder = keysByApp.getOrDefault(c.appId(), Map.of()).get(c.idempotencyKey());
        String scoped = c.appId() + "\n" + c.idempotencyKey();
        holder = holder != null ? holder : claimed.get(scoped);
        if (holder != null) {
          duplicates.put(c.callId(), holder);
          continue;
        }
        claimed.put(scoped, c.callId());
      }
      if (calls.containsKey(c.callId())) {
        throw new IllegalArgumentException("call " + c.callId() + " already exists");
      }
      inserted.add(c);
    }
    for (StoredCall c : inserted) {
      if (c.idempotencyKey() != null) {
        keysByApp.computeIfAbsent(c.appId(), k -> new HashMap<>()).put(c.idempotencyKey(), c.callId());
      }
      calls.put(c.callId(), c);
      unfinishedByApp.computeIfAbsent(c.appId(), k -> new ArrayList<>()).add(c.callId());
      if (c.argsBlob() != null) {
        withBlobs.add(c.callId());
      }
    }
    return duplicates;
  }

  @Override
  public synchronized void completeCalls(List<CallCompletion> completions) {
    for (CallCompletion done : completions) {
      StoredCall c = calls.get(done.callId());
      if (c == null || c.state().isFinal()) {
        continue;
      }
      calls.put(c.callId(), new StoredCall(c.callId(), c.appId(), c.functionId(), c.mapId(), c.index(), c.args(),
          done.state(), c.attempt(), done.result(), false, c.createdAt(), done.finishedAt(), c.argsCodec(),
          c.argsBlob(), done.result() == null ? null : done.resultBlob(), c.idempotencyKey()));
      if (done.resultBlob() != null && done.result() != null) {
        withBlobs.add(c.callId());
      }
    }
  }

  @Override
  public synchronized void recordAttempts(List<CallAttempt> attempts) {
    for (CallAttempt a : attempts) {
      StoredCall c = calls.get(a.callId());
      if (c != null && !c.state().isFinal()) {
        calls.put(c.callId(), new StoredCall(c.callId(), c.appId(), c.functionId(), c.mapId(), c.index(), c.args(),
            c.state(), a.attempt(), c.result(), c.expired(), c.createdAt(), c.finishedAt(), c.argsCodec(),
            c.argsBlob(), c.resultBlob(), c.idempotencyKey()));
      }
    }
  }

  @Override
  public synchronized Optional<StoredCall> call(String callId) {
    return Optional.ofNullable(calls.get(callId));
  }

  @Override
  public synchronized Optional<StoredCall> callWithKey(String appId, String idempotencyKey) {
    String callId = keysByApp.getOrDefault(appId, Map.of()).get(idempotencyKey);
    return callId == null ? Optional.empty() : Optional.ofNullable(calls.get(callId));
  }

  @Override
  public synchronized List<StoredCall> unfinishedCalls(String appId) {
    List<String> ids = unfinishedByApp.getOrDefault(appId, List.of());
    // Finished calls are dropped from the index here, lazily, rather than on every completion.
    List<String> still = new ArrayList<>();
    List<StoredCall> result = new ArrayList<>();
    for (String id : ids) {
      StoredCall c = calls.get(id);
      if (c != null && !c.state().isFinal()) {
        still.add(id);
        result.add(c);
      }
    }
    unfinishedByApp.put(appId, still);
    // A stable sort: calls made at the same instant keep the order they were inserted in.
    result.sort(Comparator.comparing(StoredCall::createdAt));
    return result;
  }

  @Override
  public synchronized void insertMap(StoredMap map) {
    if (maps.putIfAbsent(map.mapId(), map) != null) {
      throw new IllegalArgumentException("map " + map.mapId() + " already exists");
    }
  }

  @Override
  public synchronized Optional<StoredMap> map(String mapId) {
    return Optional.ofNullable(maps.get(mapId));
  }

  @Override
  public synchronized MapCounts mapCounts(String mapId) {
    long pending = 0;
    long succeeded = 0;
    long failed = 0;
    long cancelled = 0;
    for (StoredCall c : calls.values()) {
      if (!mapId.equals(c.mapId())) {
        continue;
      }
      switch (c.state()) {
        case PENDING -> pending++;
        case SUCCEEDED -> succeeded++;
        case FAILED, TIMED_OUT -> failed++;
        case CANCELLED -> cancelled++;
      }
    }
    return new MapCounts(pending, succeeded, failed, cancelled);
  }

  @Override
  public synchronized Set<String> blobsInUse() {
    Set<String> inUse = new HashSet<>();
    // Calls that no longer need a blob leave the index here, lazily, rather than on every completion and expiry.
    for (Iterator<String> ids = withBlobs.iterator(); ids.hasNext(); ) {
      StoredCall c = calls.get(ids.next());
      boolean needed = false;
      if (c != null && c.argsBlob() != null && !c.state().isFinal()) {
        inUse.add(c.argsBlob());
        needed = true;
      }
      if (c != null && c.resultBlob() != null && !c.expired()) {
        inUse.add(c.resultBlob());
        needed = true;
      }
      if (!needed) {
        ids.remove();
      }
    }
    return inUse;
  }

  @Override
  public synchronized int expireFinishedBefore(Instant cutoff) {
    int expired = 0;
    for (StoredCall c : List.copyOf(calls.values())) {
      if (c.state().isFinal() && !c.expired() && c.finishedAt() != null && c.finishedAt().isBefore(cutoff)) {
        calls.put(c.callId(), new StoredCall(c.callId(), c.appId(), c.functionId(), c.mapId(), c.index(), null,
            c.state(), c.attempt(), null, true, c.createdAt(), c.finishedAt(), c.argsCodec(), null, null, null));
        Map<String, String> keys = keysByApp.get(c.appId());
        if (keys != null && c.idempotencyKey() != null) {
          keys.remove(c.idempotencyKey(), c.callId());
        }
        expired++;
      }
    }
    return expired;
  }

  @Override
  public synchronized boolean insertSecret(StoredSecret secret) {
    return secrets.putIfAbsent(secret.name(), secret) == null;
  }

  @Override
  public synchronized void replaceSecret(StoredSecret secret) {
    StoredSecret old = secrets.get(secret.name());
    secrets.put(secret.name(), old == null ? secret : new StoredSecret(secret.name(), secret.keys(), secret.sealed(),
        old.createdAt(), secret.updatedAt()));
  }

  @Override
  public synchronized Optional<StoredSecret> secret(String name) {
    return Optional.ofNullable(secrets.get(name));
  }

  @Override
  public synchronized List<StoredSecret> secrets() {
    return List.copyOf(secrets.values());
  }

  @Override
  public synchronized boolean deleteSecret(String name) {
    return secrets.remove(name) != null;
  }

  @Override
  public synchronized void insertContainer(StoredContainer container) {
    containers.putIfAbsent(container.id(), container);
  }

  @Override
  public synchronized boolean deleteContainer(String containerId) {
    return containers.remove(containerId) != null;
  }

  @Override
  public synchronized List<StoredContainer> containers() {
    return containers.values().stream().sorted(Comparator.comparing(StoredContainer::createdAt)).toList();
  }

  @Override
  public void close() {}

  @Override
  public FunctionHistory functionHistory() {
    return functionHistory;
  }
}
