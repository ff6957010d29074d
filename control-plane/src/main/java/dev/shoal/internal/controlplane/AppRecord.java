package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.store.AppState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/** A run or deployment of an app: its functions' pools and where its containers load it from. */
final class AppRecord {
  /** How often a stop that waits for the app's containers to end looks again without an event. */
  static final long RECHECK_MILLIS = 10;

  final String id;
  final String name;
  final String environment;
  final String appClass;
  final List<String> classpath;
  final BackendSlot backend;
  final int version;
  final long createdAtMillis;
  /** Concurrent, because a running app gains pools when a Cls parameter set is first used. */
  final Map<String, FunctionPool> pools = new java.util.concurrent.ConcurrentHashMap<>();
  volatile AppState state;
  volatile boolean stopped;
  /** When the client of an ephemeral run last said it is alive. */
  volatile long lastHeartbeatMillis;
  /** Every container ever started for this app, so that stopping it can wait until each has ended. */
  final Queue<ContainerHandle> handles = new ConcurrentLinkedQueue<>();
  /**
   * Containers started whose end has not been logged yet; stopping the app waits for these, so that a reader of
   * its log sees every container's last event.
   */
  final java.util.concurrent.atomic.AtomicInteger unloggedExits = new java.util.concurrent.atomic.AtomicInteger();
  /** What the app's containers printed, and their lifecycle events. */
  final AppLog log;
  /** The checks of stops waiting for the app's containers to end. */
  private final Queue<Runnable> goneChecks = new ConcurrentLinkedQueue<>();

  AppRecord(String id, String name, String environment, String appClass, List<String> classpath,
      BackendSlot backend, AppState state, int version, long nowMillis, AppLog log) {
    this.log = log;
    this.id = id;
    this.name = name;
    this.environment = environment;
    this.appClass = appClass;
    this.classpath = List.copyOf(classpath);
    this.backend = backend;
    this.state = state;
    this.version = version;
    this.lastHeartbeatMillis = nowMillis;
    this.createdAtMillis = nowMillis;
  }

  /**
   * Waits until every container of the app has ended and its end is logged, or {@code millis} have passed on the
   * scheduler's time; returns whether they have ended. A container leaving its pool and a backend reporting an exit
   * check at once; a check every {@link #RECHECK_MILLIS} catches what no event reports, such as a thread container
   * whose thread ends just after it reported its exit.
   */
  boolean awaitContainersGone(Scheduler scheduler, long millis) {
    CompletableFuture<Boolean> gone = new CompletableFuture<>();
    Runnable check = () -> {
      if (containersGone()) {
        gone.complete(true);
      }
    };
    goneChecks.add(check);
    Scheduler.Task recheck = scheduler.scheduleEvery(RECHECK_MILLIS, check);
    Scheduler.Task timeout = scheduler.schedule(millis, () -> gone.complete(false));
    try {
      check.run();
      return gone.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("checking whether the containers of app " + id + " are gone failed", e);
    } finally {
      recheck.cancel();
      timeout.cancel();
      goneChecks.remove(check);
    }
  }

  /** A container of this app left its pool or reported its exit: whoever waits for them all to go looks again. */
  void containerLeft() {
    goneChecks.forEach(Runnable::run);
  }

  private boolean containersGone() {
    return pools.values().stream().allMatch(p -> p.liveContainers() == 0)
        && handles.stream().noneMatch(ContainerHandle::isAlive)
        && unloggedExits.get() == 0;
  }

  Map<String, String> functionIds() {
    Map<String, String> ids = new LinkedHashMap<>();
    pools.forEach((name, pool) -> {
      ids.put(name, pool.id);
      // A Cls pool serves every method of its class, each through an id of its own: see ControlPlane.methodOf.
      for (String method : pool.definition.getMethodsList()) {
        ids.put(name + "." + method, pool.id + "/" + method);
      }
    });
    return ids;
  }
}
