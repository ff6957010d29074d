package dev.shoal.testing;

import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A Shoal server for one test: an embedded PostgreSQL and process containers, with its data in a temporary
 * directory, on the test's clock. Its timers wait on the real time (the server makes its own scheduler), so moving
 * the clock on reaches the deadlines the engine checks on its tick (timeouts, scale-down, retention) but not a
 * retry's backoff.
 */
final class ServerEngine implements EngineUnderTest {
  private final Path dataDir;
  private final ShoalServer server;

  private ServerEngine(Path dataDir, ShoalServer server) {
    this.dataDir = dataDir;
    this.server = server;
  }

  static ServerEngine start(TestClock clock) {
    try {
      Class.forName("dev.shoal.internal.server.ShoalServer", false, ServerEngine.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("@ShoalTest(server = true) needs a Shoal server on the test classpath: add "
          + "dev.shoal:shoal-server, of the same version as dev.shoal:shoal-testing, with test scope");
    }
    Path dataDir = TemporaryFiles.directory("shoal-test-server-");
    try {
      ShoalServer server = ShoalServer.start(
          ServerOptions.defaults(dataDir).withPort(0).withToken("test-" + UUID.randomUUID()), clock);
      return new ServerEngine(dataDir, server);
    } catch (RuntimeException e) {
      TemporaryFiles.delete(dataDir);
      throw e;
    }
  }

  @Override
  public ControlPlane controlPlane() {
    return server.controlPlane();
  }

  @Override
  public String target() {
    return server.address();
  }

  @Override
  public String token() {
    return server.token();
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      TemporaryFiles.delete(dataDir);
    }
  }
}
