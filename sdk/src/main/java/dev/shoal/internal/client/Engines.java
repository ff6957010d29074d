package dev.shoal.internal.client;

import java.util.ServiceLoader;

/**
 * Finds the control plane this JVM talks to: the run a container belongs to, a server named by
 * {@code SHOAL_SERVER}, or else the embedded engine.
 */
public final class Engines {
  private static final java.util.Map<String, EngineConnection> SERVERS = new java.util.HashMap<>();
  private static volatile EngineConnection embeddedConnection;

  private Engines() {}

  /** Whether the calling thread runs a container's code; see {@link ContainerScope}. */
  public static boolean inContainer() {
    return ContainerScope.current().isPresent();
  }

  /** The engine the calling thread's calls go to: inside a container, the run the container belongs to. */
  public static EngineConnection current() {
    // Calls by id and lookups by name that a container's code makes come here first; its app's own calls
    // through AppClient.target.
    CurrentInput.stopIfCancelled();
    java.util.Optional<ContainerScope> scope = ContainerScope.current();
    if (scope.isPresent()) {
      return scope.get().run().connection();
    }
    ShoalConfig config = ShoalConfig.load();
    java.util.Optional<String> server = config.server();
    if (server.isPresent()) {
      return server(server.get(), config.token().orElse(null), config.environment(), config.serverTrust());
    }
    return embedded();
  }

  /** The connection to a server, one per address, token and environment, shared by the whole JVM. */
  private static synchronized EngineConnection server(String target, String token, String environment,
      ServerTrust trust) {
    String key = target + "\n" + token + "\n" + environment + "\n" + trust;
    return SERVERS.computeIfAbsent(key, k ->
        new EngineConnection(Channels.open(target, token, trust), "server " + target, true, environment));
  }

  private static synchronized EngineConnection embedded() {
    if (embeddedConnection == null) {
      embeddedConnection = embeddedProvider().connect();
    }
    return embeddedConnection;
  }

  /** Serves the embedded engine's dashboard for a run; see {@link EngineProvider#openDashboardForRun}. */
  public static Runnable openEmbeddedDashboard(boolean keepAfter) {
    return embeddedProvider().openDashboardForRun(keepAfter);
  }

  private static EngineProvider embeddedProvider() {
    return ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "no Shoal engine: put dev.shoal:shoal (the SDK with the embedded engine) on the classpath,"
                + " or set SHOAL_SERVER to a server's host:port"));
  }
}
