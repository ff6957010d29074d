package dev.shoal.internal.store;

import java.time.Instant;
import java.util.Map;

/**
 * An app as stored.
 *
 * @param spec what the control plane needs to run it again, opaque to the store
 * @param functionIds function name to function id, kept so that calls survive a restart
 * @param version 1 for the first deployment of a name, then one more each time; 0 for runs
 */
public record StoredApp(
    String appId, String environment, String name, AppState state, int version, byte[] spec,
    Map<String, String> functionIds, Instant createdAt) {
  public StoredApp {
    functionIds = Map.copyOf(functionIds);
  }

  public StoredApp withState(AppState next) {
    return new StoredApp(appId, environment, name, next, version, spec, functionIds, createdAt);
  }
}
