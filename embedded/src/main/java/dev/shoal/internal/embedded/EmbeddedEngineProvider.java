package dev.shoal.internal.embedded;

import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.EngineProvider;

/** Makes the embedded engine available to the SDK through {@link java.util.ServiceLoader}. */
public final class EmbeddedEngineProvider implements EngineProvider {
  @Override
  public EngineConnection connect() {
    return EmbeddedEngine.get().connect();
  }

  @Override
  public Runnable openDashboardForRun(boolean keepAfter) {
    return EmbeddedEngine.get().openDashboardForRun(keepAfter);
  }
}
