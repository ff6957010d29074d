package dev.shoal.internal.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the control plane keeps durably: apps, spawned calls with their inputs and results, detached maps, sealed
 * secrets, the containers alive now, and the dashboard's history of each function.
 *
 * <p>The control plane schedules from memory and writes through to the store, so the store is the log it
 * recovers from after a restart rather than a queue it polls. Writes come in batches: many spawns are
 * inserted, and many results are recorded, with one statement each. Payloads and results are opaque bytes.
 *
 * <p>Every implementation passes {@code StateStoreContract} (in this module's test jar).
 */
public interface StateStore extends AutoCloseable {
  /** Inserts or replaces an app. */
  void putApp(StoredApp app);

  Optional<StoredApp> app(String appId);

  /** Apps that may still have work: running, detached or deployed, oldest first. */
  List<StoredApp> activeApps();

  /** Every app of an environment, newest first, however it ended. */
  List<StoredApp> apps(String environment);

  /** The newest deployed version of an app. */
  Optional<StoredApp> deployed(String environment, String name);

  void setAppState(String appId, AppState state, Instant at);

  /**
   * Inserts new calls, each with its one input, as PENDING; all or none. A call whose idempotency key is held by a
   * call of the same app (stored before, or earlier in this batch) is not inserted, even when it carries the very
   * id of the call that holds the key (a detached map's input sent again): the caller answers its client with the
   * id of the call that holds the key, so that a spawn sent twice runs once. Keys of different apps never meet. A
   * call whose key is free but whose id is taken, or an id twice in the batch, fails the whole batch.
   *
   * @return for each call left out for its key, its id mapped to the id of the call that holds the key; empty when
   *     every call was inserted
   */
  Map<String, String> insertCalls(List<StoredCall> calls);

  /** Records the final outcome of calls; a call already final is left as it was. */
  void completeCalls(List<CallCompletion> completions);

  /** Notes that calls were started once more (their attempt numbers). */
  void recordAttempts(List<CallAttempt> attempts);

  /**
   * Inserts calls, then records attempts, then outcomes, as {@link #insertCalls}, {@link #recordAttempts} and
   * {@link #completeCalls} would one after another. A store that can does all three in one transaction, so that a
   * batch costs one commit; if it fails, none of it was kept.
   *
   * @return the calls left out for their idempotency keys, as {@link #insertCalls} returns them
   */
  default Map<String, String> write(
      List<StoredCall> inserts, List<CallAttempt> attempts, List<CallCompletion> completions) {
    Map<String, String> duplicates = insertCalls(inserts);
    recordAttempts(attempts);
    completeCalls(completions);
    return duplicates;
  }

  Optional<StoredCall> call(String callId);

  /** The call of an app that holds an idempotency key, while the key is kept (until the call expires). */
  Optional<StoredCall> callWithKey(String appId, String idempotencyKey);

  /** The calls of an app that have no final outcome yet, oldest first: what a restart puts back in queues. */
  List<StoredCall> unfinishedCalls(String appId);

  void insertMap(StoredMap map);

  Optional<StoredMap> map(String mapId);

  /** How many of a detached map's inputs are in each state. */
  MapCounts mapCounts(String mapId);

  /**
   * The blobs that stored calls still need: the argument blobs of calls that are not final, and the result blobs
   * that have not expired. The control plane's blob store keeps these whatever else it deletes, so that a stored
   * call survives a restart with its payloads.
   */
  Set<String> blobsInUse();

  /**
   * Forgets the payloads, results, blobs' hashes and idempotency keys of calls that finished before {@code cutoff},
   * keeping a marker so that a later read can say the result expired rather than that the call never existed. A
   * key is thus remembered as long as its call's result: a spawn repeated after that makes a new call.
   *
   * @return how many calls expired
   */
  int expireFinishedBefore(Instant cutoff);

  /** Inserts a secret whose name is free; false, with nothing changed, when the name is taken. */
  boolean insertSecret(StoredSecret secret);

  /** Inserts a secret, or replaces the keys, values and update time of the one of that name, keeping its creation. */
  void replaceSecret(StoredSecret secret);

  Optional<StoredSecret> secret(String name);

  /** Every secret, by name. */
  List<StoredSecret> secrets();

  /** Whether a secret of that name existed. */
  boolean deleteSecret(String name);

  /**
   * Records a container as it starts, so that a control plane restarted while it runs may adopt it; a container
   * recorded already is left as it was.
   */
  void insertContainer(StoredContainer container);

  /** Forgets a container that ended; whether it was recorded. */
  boolean deleteContainer(String containerId);

  /** Every recorded container, oldest first: what a restart may adopt. */
  List<StoredContainer> containers();

  /** The dashboard's history of each function, kept beside the state it charts. */
  FunctionHistory functionHistory();

  @Override
  void close();
}
