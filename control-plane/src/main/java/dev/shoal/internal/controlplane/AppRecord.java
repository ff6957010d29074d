package dev.shoal.internal.controlplane;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run of an app: its functions' pools and where its containers load it from. */
final class AppRecord {
  final String id;
  final String name;
  final String appClass;
  final List<String> classpath;
  final BackendSlot backend;
  final Map<String, FunctionPool> pools = new LinkedHashMap<>();
  volatile boolean stopped;
  /** Every container ever started for this run, so that stopping it can wait until each has ended. */
  final java.util.Queue<dev.shoal.internal.controlplane.backend.ContainerHandle> handles =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  AppRecord(String id, String name, String appClass, List<String> classpath, BackendSlot backend) {
    this.id = id;
    this.name = name;
    this.appClass = appClass;
    this.classpath = List.copyOf(classpath);
    this.backend = backend;
  }

  Map<String, String> functionIds() {
    Map<String, String> ids = new LinkedHashMap<>();
    pools.forEach((name, pool) -> ids.put(name, pool.id));
    return ids;
  }
}
