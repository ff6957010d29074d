package dev.shoal.internal.client;

import java.util.ServiceLoader;

/**
 * Finds the control plane this JVM talks to: the run a container belongs to, a server named by
 * {@code SHOAL_SERVER}, or else the embedded engine.
 */
public final class Engines {
  private static volatile EngineConnection containerConnection;
  private static volatile EngineConnection serverConnection;
  private static volatile EngineConnection embeddedConnection;

  private Engines() {}

  /** Set by the container runtime: inside a container every call goes to the run the container belongs to. */
  public static void useContainerConnection(EngineConnection connection) {
    containerConnection = connection;
  }

  public static boolean inContainer() {
    return containerConnection != null;
  }

  public static EngineConnection current() {
    EngineConnection c = containerConnection;
    if (c != null) {
      return c;
    }
    String server = System.getProperty("shoal.server", System.getenv("SHOAL_SERVER"));
    if (server != null && !server.isBlank()) {
      return server(server.trim());
    }
    return embedded();
  }

  private static synchronized EngineConnection server(String target) {
    if (serverConnection == null) {
      serverConnection = new EngineConnection(Channels.open(target), "server " + target);
    }
    return serverConnection;
  }

  private static synchronized EngineConnection embedded() {
    if (embeddedConnection == null) {
      EngineProvider provider = ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader())
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(
              "no Shoal engine: put dev.shoal:shoal (the SDK with the embedded engine) on the classpath,"
                  + " or set SHOAL_SERVER to a server's host:port"));
      embeddedConnection = provider.connect();
    }
    return embeddedConnection;
  }
}
