package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.store.StoredContainer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The containers of the control plane's earlier life that may come back: those the store kept, whose app was
 * restored and whose backend still runs them (a pod keeps running through a restart). Each is awaited for
 * {@link #WINDOW_MILLIS}, the Kubernetes backend's adoption window, from the end of recovery.
 *
 * <p>Which inputs a container held is not stored (a write per lease would cost the hot path); the container says
 * so itself when it comes back. So the recovered inputs of a pool that awaits containers are held here rather than
 * queued, and none of them runs twice: each container that comes back takes those it names as its leases, and
 * the rest are queued once every awaited container of the pool came back, ended, or ran out of time. An input a
 * container names that is not held here (a map input whose caller did not survive, or one finished meanwhile) is
 * cancelled on it, and its output, whenever it comes, is dropped as any output of an input not leased is.
 *
 * <p>Locking: this object's monitor guards its maps; pools are called only after it is released.
 */
final class Adoptions {
  /** How long a container of the earlier life is awaited; the same as the Kubernetes backend keeps its pod. */
  static final long WINDOW_MILLIS = 120_000;
  private static final System.Logger LOG = System.getLogger(Adoptions.class.getName());

  private final Clock clock;
  private final Scheduler scheduler;
  private final ContainerDirectory directory;
  // Guarded by this.
  private final Map<String, Awaited> awaited = new HashMap<>();
  private final Map<FunctionPool, Held> held = new HashMap<>();
  /** The containers adopted, until they end, so that their exits reach their pools. */
  private final Map<String, Awaited> adopted = new HashMap<>();

  Adoptions(Clock clock, Scheduler scheduler, ContainerDirectory directory) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.directory = directory;
  }

  /** A container adopted, and the inputs it named that it must drop. */
  record Adopted(ContainerRecord container, List<String> cancelled) {}

  /**
   * Awaits the stored containers of a restored app that its backend still runs; forgets the others. Called before
   * the app's calls are recovered.
   */
  void expect(AppRecord app, List<StoredContainer> stored) {
    Map<String, FunctionPool> pools = new HashMap<>();
    app.pools.values().forEach(p -> pools.put(p.id, p));
    for (StoredContainer s : stored) {
      FunctionPool pool = pools.get(s.functionId());
      Optional<ContainerHandle> handle = pool == null ? Optional.empty()
          : app.backend.backend().adopt(s.id(), (id, exit) -> exited(id, exit));
      if (handle.isEmpty()) {
        directory.forget(s.id());
        continue;
      }
      synchronized (this) {
        awaited.put(s.id(), new Awaited(s, pool, handle.get()));
        held.computeIfAbsent(pool, p -> new Held()).awaiting++;
      }
    }
    if (!stored.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "app " + app.name + ": " + awaitedOf(app) + " of " + stored.size()
          + " containers of the earlier life are still running and may be adopted");
    }
  }

  private synchronized long awaitedOf(AppRecord app) {
    return awaited.values().stream().filter(a -> a.pool.app == app).count();
  }

  synchronized boolean awaits(String containerId) {
    return awaited.containsKey(containerId);
  }

  /** Queues a recovered input, or holds it while its pool awaits containers that may run it. */
  void submit(FunctionPool pool, InputRecord input) {
    synchronized (this) {
      Held h = held.get(pool);
      if (h != null) {
        h.inputs.put(input.id, input);
        return;
      }
    }
    pool.submit(List.of(input));
  }

  /** Starts the window, once recovery is over. */
  void startWindow() {
    synchronized (this) {
      if (awaited.isEmpty()) {
        return;
      }
    }
    scheduler.schedule(WINDOW_MILLIS, this::windowOver);
  }

  /**
   * Adopts an awaited container whose token hashes to the stored hash: it joins its pool as a ready container
   * holding, of the inputs it names, those held here; it must drop the others. Empty when the container is not
   * awaited (unknown, adopted already, ended, or after the window) or the token is not its own.
   */
  Optional<Adopted> adopt(String id, String token, List<String> heldInputIds) {
    Awaited a;
    List<InputRecord> leases = new ArrayList<>();
    List<String> cancelled = new ArrayList<>();
    List<InputRecord> released;
    synchronized (this) {
      a = awaited.get(id);
      if (a == null || !ContainerDirectory.tokenMatches(token, a.stored.tokenSha256())) {
        return Optional.empty();
      }
      awaited.remove(id);
      adopted.put(id, a);
      Held h = held.get(a.pool);
      for (String inputId : heldInputIds) {
        InputRecord in = h.inputs.remove(inputId);
        if (in != null) {
          leases.add(in);
        } else {
          cancelled.add(inputId);
        }
      }
      released = resolvedLocked(a.pool);
    }
    ContainerRecord c = new ContainerRecord(id, token, a.pool, clock.millis());
    if (!a.pool.adopt(c, a.handle, leases)) {
      // Its app stopped meanwhile: the inputs it named were cancelled with it.
      synchronized (this) {
        adopted.remove(id);
      }
      directory.forget(id);
      a.handle.kill();
      return Optional.empty();
    }
    ContainerExit early;
    synchronized (this) {
      a.record = c;
      early = a.earlyExit;
    }
    if (early != null) {
      exited(id, early);
    }
    submitAll(a.pool, released);
    return Optional.of(new Adopted(c, cancelled));
  }

  /** A container's end, as its backend reports it: an adopted one's goes to its pool, an awaited one is given up. */
  private void exited(String id, ContainerExit exit) {
    Awaited gone;
    List<InputRecord> released = List.of();
    synchronized (this) {
      gone = awaited.remove(id);
      if (gone != null) {
        released = resolvedLocked(gone.pool);
      }
    }
    if (gone != null) {
      directory.forget(id);
      submitAll(gone.pool, released);
      return;
    }
    ContainerRecord record;
    synchronized (this) {
      Awaited a = adopted.get(id);
      if (a == null) {
        return;
      }
      if (a.record == null) {
        a.earlyExit = exit; // ended while being adopted: adopt() passes it on once the pool has it
        return;
      }
      adopted.remove(id);
      record = a.record;
    }
    record.pool.ended(record, exit);
  }

  /** Ends the wait: containers that did not come back are ended, and every input still held is queued. */
  private void windowOver() {
    List<Awaited> late;
    Map<FunctionPool, List<InputRecord>> released = new LinkedHashMap<>();
    synchronized (this) {
      late = List.copyOf(awaited.values());
      awaited.clear();
      held.forEach((pool, h) -> released.put(pool, List.copyOf(h.inputs.values())));
      held.clear();
    }
    for (Awaited a : late) {
      LOG.log(System.Logger.Level.INFO, "container " + a.stored.id() + " of the earlier life did not come back within "
          + WINDOW_MILLIS + " ms; ending it");
      directory.forget(a.stored.id());
      a.handle.kill();
    }
    released.forEach(this::submitAll);
  }

  /**
   * Notes that one awaited container of {@code pool} was resolved; once none is awaited any more, returns the
   * inputs still held, which no container claimed, for the pool's queue.
   */
  private List<InputRecord> resolvedLocked(FunctionPool pool) {
    Held h = held.get(pool);
    if (h == null || --h.awaiting > 0) {
      return List.of();
    }
    held.remove(pool);
    return List.copyOf(h.inputs.values());
  }

  private void submitAll(FunctionPool pool, List<InputRecord> inputs) {
    if (!inputs.isEmpty()) {
      pool.submit(inputs);
    }
  }

  /** A stored container that may come back, and, once adopted, its record. */
  private static final class Awaited {
    final StoredContainer stored;
    final FunctionPool pool;
    final ContainerHandle handle;
    ContainerRecord record;
    /** How it ended, when that was reported before its adoption was complete. */
    ContainerExit earlyExit;

    Awaited(StoredContainer stored, FunctionPool pool, ContainerHandle handle) {
      this.stored = stored;
      this.pool = pool;
      this.handle = handle;
    }
  }

  /** The recovered inputs of a pool held for its awaited containers, and how many are still awaited. */
  private static final class Held {
    final Map<String, InputRecord> inputs = new LinkedHashMap<>();
    int awaiting;
  }
}
