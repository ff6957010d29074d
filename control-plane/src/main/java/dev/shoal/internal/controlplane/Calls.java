package dev.shoal.internal.controlplane;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.shoal.internal.store.CallCompletion;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredApp;
import dev.shoal.internal.store.StoredCall;
import dev.shoal.internal.store.StoredMap;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.GetMapResultsResponse;
import dev.shoal.protocol.v1.MapOutput;
import dev.shoal.protocol.v1.BlobRef;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.CallState;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.StartAppRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Calls and their results: spawns with their idempotency keys, remote calls, maps and detached maps, the waits
 * for a result, cancellation, and how long results are kept. A call is made here and its inputs are handed to the
 * function's pool; the pool answers through the call's record. The protocol's message types (payloads, results,
 * outcomes) are carried as data.
 *
 * <p>Scheduling happens in memory. What must outlive the process — spawned calls with their inputs and results,
 * detached maps — is written through to the {@link StateStore} before the caller is answered. Results of
 * {@code remote} and {@code map} are not stored: their callers are connected and receive them directly.
 */
final class Calls {
  private static final int RECENT_RESULTS = 100_000;
  /** How many inputs past the first one not yet returned a page of unordered map results looks at. */
  static final int UNORDERED_WINDOW = 1_000;
  private static final long RECENT_RESULT_BYTES = 64L << 20;

  private final Clock clock;
  private final Scheduler scheduler;
  private final StateStore store;
  private final DurableWriter writer;
  private final Duration retention;
  private final BlobRouting blobs;
  /** The pool that serves a function id, or why there is none. */
  private final Function<String, FunctionPool> pools;
  /** The class of a running app, by id; empty when it does not run here. */
  private final Function<String, Optional<String>> runningAppClass;
  private final Map<String, CallRecord> calls = new ConcurrentHashMap<>();
  private final SpawnKeys spawnKeys = new SpawnKeys();
  /**
   * The ids of keyed detached maps being uploaded, by app and key: a second upload of a map that has stored no input
   * yet finds its id here, since the store cannot find it by its first input's key yet. Forgotten once the map is
   * stored whole.
   */
  private final Map<String, String> mapKeys = new ConcurrentHashMap<>();
  /** Spawned calls' results once stored: collecting many results then costs no reads of the store. */
  private final RecentResults recentResults = new RecentResults(RECENT_RESULTS, RECENT_RESULT_BYTES);
  /** Queues stored spawns and answers their callers, so that the store's writer thread goes on writing. */
  private final Executor afterStore = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("shoal-spawned-", 0).factory());

  Calls(Clock clock, Scheduler scheduler, StateStore store, DurableWriter writer, Duration retention,
      BlobRouting blobs, Function<String, FunctionPool> pools, Function<String, Optional<String>> runningAppClass) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.store = store;
    this.writer = writer;
    this.retention = retention;
    this.blobs = blobs;
    this.pools = pools;
    this.runningAppClass = runningAppClass;
  }

  private FunctionPool pool(String functionId) {
    return pools.apply(functionId);
  }

  private static String methodOf(String functionId) {
    return FunctionIds.methodOf(functionId);
  }

  /**
   * Puts back an app's spawned calls and detached maps that have no result yet, in the order they were made, handing
   * each input to {@code queue}: its pool's queue, unless a container that may hold it is awaited.
   */
  void recover(AppRecord app, List<StoredCall> unfinished, BiConsumer<FunctionPool, InputRecord> queue) {
    Map<String, FunctionPool> byId = new HashMap<>();
    app.pools.values().forEach(p -> byId.put(p.id, p));
    Map<String, SpawnedMapRecord> maps = new HashMap<>();
    for (StoredCall c : unfinished) {
      FunctionPool pool = byId.get(FunctionIds.poolIdOf(c.functionId()));
      if (pool == null) {
        continue;
      }
      String method = FunctionIds.methodOf(c.functionId());
      Payload.Builder args = Payload.newBuilder().setCodec(c.argsCodec());
      if (c.argsBlob() != null) {
        args.setBlob(BlobRef.newBuilder().setSha256(c.argsBlob()));
      } else {
        args.setData(ByteString.copyFrom(c.args()));
      }
      InputRecord input;
      if (c.mapId() == null) {
        SingleCall call = new SingleCall(c.callId(), pool,
            r -> recordResult(c.callId(), pool, r, c.idempotencyKey()));
        if (c.idempotencyKey() != null) {
          spawnKeys.hold(app.id, c.idempotencyKey(), c.callId());
        }
        call.method = method;
        call.spawned = true;
        call.activity().submitted(1);
        input = new InputRecord(c.callId(), call, 0, args.build());
        call.input = input;
        calls.put(call.id, call);
      } else {
        SpawnedMapRecord map = maps.computeIfAbsent(c.mapId(), id -> {
          SpawnedMapRecord m = new SpawnedMapRecord(id, pool, writer, clock);
          m.method = method;
          calls.put(id, m);
          return m;
        });
        input = new InputRecord(c.callId(), map, c.index(), args.build());
      }
      input.attempt = c.attempt();
      queue.accept(pool, input);
    }
  }

  /**
   * Creates a call for each spawn, stores them all in one batch and then queues them. The future completes once
   * they are stored, with one outcome per spawn in order: a spawn of an unknown function fails alone.
   *
   * <p>A spawn that carries an idempotency key held by a call of the same app gets that call's id and makes no
   * call: the client sent it again because an earlier attempt's answer was lost, or the server restarted under it.
   * A key held by a call still in memory is answered here once that call is stored; one held only in the store is
   * found by the store as it inserts the batch.
   */
  CompletableFuture<List<SpawnOutcome>> spawn(List<SpawnRequest> spawns) {
    SpawnOutcome[] outcomes = new SpawnOutcome[spawns.size()];
    List<AcceptedSpawn> accepted = new ArrayList<>();
    List<StoredCall> rows = new ArrayList<>();
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    Instant now = clock.instant();
    for (int i = 0; i < spawns.size(); i++) {
      SpawnRequest spawn = spawns.get(i);
      String key = spawn.getIdempotencyKey();
      FunctionPool pool;
      try {
        pool = pool(spawn.getFunctionId());
        if (!key.isEmpty()) {
          SpawnKeys.requireValid(key);
        }
        blobs.requireArgument(spawn.getArgs());
      } catch (CoreException e) {
        outcomes[i] = failedSpawn(e);
        continue;
      }
      String id = Ids.next("fc");
      SpawnKeys.Claim claim = null;
      if (!key.isEmpty()) {
        claim = new SpawnKeys.Claim(id);
        SpawnKeys.Claim holder = spawnKeys.claim(pool.app.id, key, claim);
        if (holder != null) {
          int index = i;
          waits.add(holder.stored.handle((heldBy, failure) -> {
            outcomes[index] = heldBy != null ? SpawnOutcome.newBuilder().setCallId(heldBy).build()
                : failedSpawn(CoreException.unavailable("the first spawn with idempotency key " + key
                    + " could not be stored; try again: " + failure));
            return null;
          }));
          continue;
        }
      }
      SingleCall call = new SingleCall(id, pool, r -> recordResult(id, pool, r, key));
      call.method = methodOf(spawn.getFunctionId());
      call.spawned = true;
      call.input = new InputRecord(id, call, 0, spawn.getArgs());
      accepted.add(new AcceptedSpawn(i, call, key, claim));
      rows.add(StoredCall.pending(id, pool.app.id, spawn.getFunctionId(), null, 0, spawn.getArgs().getCodec(),
          spawn.getArgs().getData().toByteArray(), BlobRouting.blobOf(spawn.getArgs()), now)
          .withIdempotencyKey(key.isEmpty() ? null : key));
      outcomes[i] = SpawnOutcome.newBuilder().setCallId(id).build();
    }
    if (!accepted.isEmpty()) {
      waits.add(writer.insert(rows).handleAsync((duplicates, failure) -> {
        queueStored(outcomes, accepted, duplicates, failure);
        return null;
      }, afterStore));
    }
    return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).thenApply(done -> List.of(outcomes));
  }

  /** A spawn of a batch that made a call: its place in the batch, its call, and the key it claimed, if any. */
  private record AcceptedSpawn(int index, SingleCall call, String key, SpawnKeys.Claim claim) {}

  /**
   * Queues the calls of a spawn batch once the store has them, and settles their keys: a call the store left out
   * because its key was held answers with the holder's id instead. If the batch could not be stored, its keys are
   * given up, so that the client's next attempt claims them afresh, and the failure goes on to the caller.
   */
  private void queueStored(SpawnOutcome[] outcomes, List<AcceptedSpawn> accepted, Map<String, String> duplicates,
      Throwable failure) {
    if (failure != null) {
      for (AcceptedSpawn a : accepted) {
        if (a.claim() != null) {
          a.claim().stored.completeExceptionally(failure);
          spawnKeys.release(a.call().pool.app.id, a.key(), a.claim());
        }
      }
      throw failure instanceof CompletionException c ? c : new CompletionException(failure);
    }
    Map<FunctionPool, List<InputRecord>> byPool = new LinkedHashMap<>();
    for (AcceptedSpawn a : accepted) {
      SingleCall call = a.call();
      if (duplicates.containsKey(call.id)) {
        // The store held the key already: the call that holds it answers, and this one never existed.
        String heldBy = duplicates.get(call.id);
        if (heldBy != null) {
          outcomes[a.index()] = SpawnOutcome.newBuilder().setCallId(heldBy).build();
          a.claim().stored.complete(heldBy);
        } else {
          outcomes[a.index()] = failedSpawn(CoreException.unavailable(
              "the call holding idempotency key " + a.key() + " could not be found; try again"));
          a.claim().stored.completeExceptionally(new IllegalStateException("no call holds key " + a.key()));
        }
        spawnKeys.release(call.pool.app.id, a.key(), a.claim());
        continue;
      }
      if (a.claim() != null) {
        a.claim().stored.complete(call.id);
      }
      call.activity().submitted(1);
      calls.put(call.id, call);
      byPool.computeIfAbsent(call.pool, p -> new ArrayList<>()).add(call.input);
    }
    byPool.forEach(FunctionPool::submit);
  }

  private static SpawnOutcome failedSpawn(CoreException e) {
    return SpawnOutcome.newBuilder().setErrorCode(e.kind().code()).setErrorMessage(e.getMessage()).build();
  }

  /**
   * Records a spawned call's result; once it is durable, the call no longer needs to be held in memory, and the
   * store answers for its idempotency key.
   */
  private void recordResult(String callId, FunctionPool pool, Result result, String idempotencyKey) {
    Instant finishedAt = clock.instant();
    writer.complete(new CallCompletion(callId, SpawnedMapRecord.state(result), result.toByteArray(), finishedAt,
            BlobRouting.blobOf(result)),
        () -> {
          recentResults.put(callId, new RecentResults.Entry(result, pool.app.appClass, finishedAt));
          calls.remove(callId);
          if (idempotencyKey != null && !idempotencyKey.isEmpty()) {
            spawnKeys.released(pool.app.id, idempotencyKey, callId);
          }
        });
  }

  /** Creates a call with one input; {@code done} receives its result. Returns the call's id. */
  String call(String functionId, Payload args, Consumer<CallResponse> done) {
    FunctionPool pool = pool(functionId);
    blobs.holdArgument(args);
    String id = Ids.next("fc");
    SingleCall call = new SingleCall(id, pool, r -> { });
    call.method = methodOf(functionId);
    InputRecord input = new InputRecord(id, call, 0, args);
    call.input = input;
    call.activity().submitted(1);
    calls.put(id, call);
    call.onResult(result -> {
      calls.remove(id);
      blobs.releaseArgument(args);
      blobs.delivering(result);
      done.accept(CallResponse.newBuilder().setCallId(id).setResult(result).build());
    });
    pool.submit(List.of(input));
    return id;
  }

  /** Opens a map whose results go to {@code sink}. */
  MapSession openMap(String functionId, MapCallRecord.Sink sink) {
    FunctionPool pool = pool(functionId);
    MapCallRecord call = new MapCallRecord(Ids.next("fc"), pool, sink);
    call.method = methodOf(functionId);
    call.activity();
    calls.put(call.id, call);
    return new MapSession(call);
  }

  /** Opens a detached map; its inputs are stored as they arrive. */
  SpawnMapSession openSpawnMap(String functionId) {
    return openSpawnMap(functionId, "");
  }

  /**
   * Opens a detached map whose client made {@code idempotencyKey} for it (empty for none). A key this app has seen
   * before resumes that map: its id, its record if it still runs here (or was put back by {@link #recover()}), and
   * the store's copy of every input already stored, which is not stored or queued again.
   */
  SpawnMapSession openSpawnMap(String functionId, String idempotencyKey) {
    FunctionPool pool = pool(functionId);
    if (idempotencyKey.isEmpty()) {
      SpawnedMapRecord map = new SpawnedMapRecord(Ids.next("fc"), pool, writer, clock);
      map.method = methodOf(functionId);
      map.activity();
      return new SpawnMapSession(map, writer, store, calls, clock, null, () -> { });
    }
    SpawnMapSession.requireValidKey(idempotencyKey);
    String mapId = store.callWithKey(pool.app.id, SpawnMapSession.inputKey(idempotencyKey, 0))
        .map(StoredCall::mapId)
        .orElseGet(() -> mapKeys.computeIfAbsent(pool.app.id + "\n" + idempotencyKey, k -> Ids.next("fc")));
    // The record of an upload that broke, or that recover() put back, goes on: the map's inputs are counted and
    // cancelled together however many uploads brought them.
    SpawnedMapRecord map = (SpawnedMapRecord) calls.compute(mapId, (id, running) ->
        running instanceof SpawnedMapRecord m && m.pool == pool ? m : new SpawnedMapRecord(id, pool, writer, clock));
    map.method = methodOf(functionId);
    map.activity();
    String scopedKey = pool.app.id + "\n" + idempotencyKey;
    return new SpawnMapSession(map, writer, store, calls, clock, idempotencyKey,
        () -> mapKeys.remove(scopedKey, mapId));
  }

  /** How far a detached map has come. */
  MapProgressView mapProgress(String mapId) {
    var stored = store.map(mapId).orElseThrow(() ->
        new CoreException(CoreException.Kind.NOT_FOUND, "no detached map " + BoundedQuote.of(mapId)));
    var counts = store.mapCounts(mapId);
    CallRecord live = calls.get(mapId);
    long running = live == null ? 0 : live.pool.leasedInputsOf(live);
    return new MapProgressView(stored.total(), Math.max(0, counts.pending() - running), running,
        counts.succeeded(), counts.failed(), counts.cancelled());
  }

  /**
   * The results of a detached map from input {@code fromIndex} on, in input order, up to {@code limit} of them and
   * up to the first input that has not finished. Each input is a call of the store's ({@code mapId-index}), read by
   * its id, so that a page costs its own size whatever the size of the map.
   */
  GetMapResultsResponse mapResults(String mapId, long fromIndex, int limit) {
    var stored = storedMap(mapId);
    GetMapResultsResponse.Builder page = resultsPage(stored);
    for (long i = fromIndex; i < stored.total() && page.getOutputsCount() < limit; i++) {
      StoredCall input = store.call(mapId + "-" + i).orElse(null);
      if (input == null || input.expired()) {
        // An input of a stored map that the store no longer has was forgotten with its result.
        return page.setExpired(true).build();
      }
      if (!input.state().isFinal()) {
        break;
      }
      page.addOutputs(MapOutput.newBuilder().setIndex(i).setResult(storedResult(mapId, i, input)));
    }
    return page.build();
  }

  /**
   * The finished inputs of a detached map among the {@link #UNORDERED_WINDOW} inputs from {@code fromIndex} on that
   * are not in {@code returned} (bit k: input {@code fromIndex + k}), up to {@code limit} of them, and how far from
   * {@code fromIndex} every input has finished and been returned. A page reads at most the window's inputs, so an
   * input that runs for hours costs each page the same, and the caller holds one window's bits whatever the map's
   * size; inputs beyond the window wait for it to move on.
   */
  GetMapResultsResponse mapResultsUnordered(String mapId, long fromIndex, int limit, BitSet returned) {
    var stored = storedMap(mapId);
    GetMapResultsResponse.Builder page = resultsPage(stored).setWindow(UNORDERED_WINDOW);
    long end = Math.min(stored.total(), fromIndex + UNORDERED_WINDOW);
    long settledTo = fromIndex;
    for (long i = fromIndex; i < end; i++) {
      boolean alreadyReturned = returned.get((int) (i - fromIndex));
      if (alreadyReturned) {
        settledTo += settledTo == i ? 1 : 0;
        continue;
      }
      if (page.getOutputsCount() == limit) {
        break;
      }
      StoredCall input = store.call(mapId + "-" + i).orElse(null);
      if (input == null || input.expired()) {
        page.setExpired(true);
        break;
      }
      if (input.state().isFinal()) {
        page.addOutputs(MapOutput.newBuilder().setIndex(i).setResult(storedResult(mapId, i, input)));
        settledTo += settledTo == i ? 1 : 0;
      }
    }
    return page.setSettledTo(settledTo).build();
  }

  private StoredMap storedMap(String mapId) {
    return store.map(mapId).orElseThrow(() ->
        new CoreException(CoreException.Kind.NOT_FOUND, "no detached map " + BoundedQuote.of(mapId)));
  }

  /** An empty page of a map's results: its size, and the app class that lets a bare process decode them. */
  private GetMapResultsResponse.Builder resultsPage(StoredMap stored) {
    String appClass = runningAppClass.apply(stored.appId())
        .orElseGet(() -> store.app(stored.appId()).map(this::appClassOf).orElse(""));
    return GetMapResultsResponse.newBuilder().setTotal(stored.total()).setAppClass(appClass);
  }

  private static Result storedResult(String mapId, long index, StoredCall input) {
    try {
      return input.result() == null ? Results.cancelled("map " + mapId + " was cancelled")
          : Result.parseFrom(input.result());
    } catch (InvalidProtocolBufferException e) {
      throw new CoreException(CoreException.Kind.DATA_LOSS, "the stored result of input " + index + " of map "
          + mapId + " cannot be read", e);
    }
  }

  /** Cancels every input of a detached map that has not finished. */
  void cancelMap(String mapId) {
    var stored = store.map(mapId).orElseThrow(() ->
        new CoreException(CoreException.Kind.NOT_FOUND, "no detached map " + BoundedQuote.of(mapId)));
    CallRecord live = calls.get(mapId);
    if (live != null) {
      live.cancel("map " + mapId + " was cancelled");
    }
    SpawnMapSession.cancelStoredInputs(store, stored.appId(), mapId, clock.instant());
  }

  /** Answers with the call's result once it has one, or with "not done" after {@code timeoutMillis}. */
  void awaitResult(String callId, long timeoutMillis, Consumer<AwaitResultResponse> answer) {
    CallRecord record = calls.get(callId);
    if (!(record instanceof SingleCall call)) {
      RecentResults.Entry recent = recentResults.get(callId, clock.instant().minus(retention));
      if (recent != null) {
        answer.accept(AwaitResultResponse.newBuilder()
            .setDone(true).setResult(recent.result()).setAppClass(recent.appClass()).build());
      } else {
        awaitStored(callId, timeoutMillis, answer);
      }
      return;
    }
    String appClass = call.pool.app.appClass;
    AtomicBoolean answered = new AtomicBoolean();
    Consumer<Result> waiter = result -> {
      if (answered.compareAndSet(false, true)) {
        answer.accept(AwaitResultResponse.newBuilder().setDone(true).setResult(result).setAppClass(appClass).build());
      }
    };
    if (timeoutMillis <= 0) {
      Result r = call.result();
      answered.set(true);
      AwaitResultResponse.Builder response = AwaitResultResponse.newBuilder().setAppClass(appClass);
      if (r != null) {
        response.setDone(true).setResult(r);
      }
      answer.accept(response.build());
      return;
    }
    call.onResult(waiter);
    Scheduler.Task expiry = scheduler.schedule(timeoutMillis, () -> {
      call.removeWaiter(waiter);
      if (answered.compareAndSet(false, true)) {
        answer.accept(AwaitResultResponse.newBuilder().setDone(false).setAppClass(appClass).build());
      }
    });
    if (answered.get()) {
      expiry.cancel();
    }
  }

  /** Answers from the store, for calls finished long enough ago to have left memory. */
  private void awaitStored(String callId, long timeoutMillis, Consumer<AwaitResultResponse> answer) {
    StoredCall stored = store.call(callId).filter(c -> c.mapId() == null).orElseThrow(() ->
        new CoreException(CoreException.Kind.NOT_FOUND, "no call " + BoundedQuote.of(callId)));
    String appClass = runningAppClass.apply(stored.appId())
        .orElseGet(() -> store.app(stored.appId()).map(this::appClassOf).orElse(""));
    AwaitResultResponse.Builder response = AwaitResultResponse.newBuilder().setAppClass(appClass);
    if (stored.expired()) {
      answer.accept(response.setDone(true).setExpired(true).build());
    } else if (stored.state().isFinal() && stored.result() != null) {
      try {
        answer.accept(response.setDone(true).setResult(Result.parseFrom(stored.result())).build());
      } catch (InvalidProtocolBufferException e) {
        throw new CoreException(CoreException.Kind.DATA_LOSS, "the stored result of " + callId + " cannot be read",
            e);
      }
    } else if (stored.state().isFinal()) {
      answer.accept(response.setDone(true).setResult(Results.cancelled("call " + callId + " was cancelled")).build());
    } else {
      // Pending in the store but not in memory: its app is not running here. Answer after the wait anyway.
      scheduler.schedule(timeoutMillis, () -> answer.accept(response.setDone(false).build()));
    }
  }

  private String appClassOf(StoredApp app) {
    try {
      return StartAppRequest.parseFrom(app.spec()).getAppClass();
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
  }

  void cancelCall(String callId, boolean terminateContainers) {
    CallRecord call = calls.get(callId);
    if (call == null) {
      if (recentResults.get(callId, Instant.MIN) != null) {
        return; // finished already
      }
      StoredCall stored = store.call(callId).orElseThrow(() ->
          new CoreException(CoreException.Kind.NOT_FOUND, "no call " + BoundedQuote.of(callId)));
      if (!stored.state().isFinal()) {
        store.completeCalls(List.of(new CallCompletion(callId, dev.shoal.internal.store.CallState.CANCELLED,
            Results.cancelled("call " + callId + " was cancelled").toByteArray(), clock.instant())));
      }
      return;
    }
    if (terminateContainers && call instanceof SingleCall s && s.input != null) {
      s.pool.killContainerOf(s.input);
    }
    call.cancel("call " + callId + " was cancelled");
  }

  CallState callState(String callId) {
    CallRecord call = calls.get(callId);
    if (call != null) {
      return call.state();
    }
    RecentResults.Entry recent = recentResults.get(callId, clock.instant().minus(retention));
    dev.shoal.internal.store.CallState state = recent != null
        ? SpawnedMapRecord.state(recent.result())
        : store.call(callId).orElseThrow(() ->
            new CoreException(CoreException.Kind.NOT_FOUND, "no call " + BoundedQuote.of(callId))).state();
    return switch (state) {
      case PENDING -> CallState.PENDING;
      case SUCCEEDED -> CallState.SUCCEEDED;
      case FAILED -> CallState.FAILED;
      case CANCELLED -> CallState.CANCELLED_STATE;
      case TIMED_OUT -> CallState.TIMED_OUT;
    };
  }

  /** Forgets results older than the retention period; runs every minute, and on demand in tests. */
  int expireResults() {
    Instant cutoff = clock.instant().minus(retention);
    recentResults.expireBefore(cutoff);
    return store.expireFinishedBefore(cutoff);
  }

  /** The app of a call still in memory, or else of one the store keeps. */
  Optional<String> appOfCall(String callId) {
    CallRecord live = calls.get(callId);
    if (live != null) {
      return Optional.of(live.pool.app.id);
    }
    return store.call(callId).map(StoredCall::appId);
  }

  /** The app of a detached map still in memory, or else of one the store keeps. */
  Optional<String> appOfMap(String mapId) {
    CallRecord live = calls.get(mapId);
    if (live != null) {
      return Optional.of(live.pool.app.id);
    }
    return store.map(mapId).map(StoredMap::appId);
  }

  /** Cancels the maps of a stopping app: their callers hear why at once, rather than one input at a time. */
  void cancelMapsOf(AppRecord app, String why) {
    for (CallRecord call : List.copyOf(calls.values())) {
      if (call.pool.app == app && call instanceof MapCallRecord) {
        call.cancel(why);
      }
    }
  }

  /** A call is over and answered: it is no longer held. */
  void forget(CallRecord call) {
    calls.remove(call.id);
  }
}
