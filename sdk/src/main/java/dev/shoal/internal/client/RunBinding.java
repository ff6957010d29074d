package dev.shoal.internal.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run that an app's calls go to: the connection that reaches it, its id, and the ids of the app's functions in
 * it. A pool added while the run goes on (a Cls parameter set first used then) adds its id here.
 */
public final class RunBinding {
  private final EngineConnection connection;
  private final String appId;
  private final Map<String, String> functionIds;

  public RunBinding(EngineConnection connection, String appId, Map<String, String> functionIds) {
    this.connection = connection;
    this.appId = appId;
    this.functionIds = new ConcurrentHashMap<>(functionIds);
  }

  public EngineConnection connection() {
    return connection;
  }

  public String appId() {
    return appId;
  }

  /** The id of {@code function} in this run, or null if the run has no such function yet. */
  String functionId(String function) {
    return functionIds.get(function);
  }

  void addFunctionIds(Map<String, String> ids) {
    functionIds.putAll(ids);
  }
}
