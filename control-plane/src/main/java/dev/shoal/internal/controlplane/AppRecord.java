package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.store.AppState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A run or deployment of an app: its functions' pools and where its containers load it from. */
final class AppRecord {
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
