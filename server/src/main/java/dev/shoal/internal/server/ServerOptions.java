package dev.shoal.internal.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a server runs.
 *
 * @param port the gRPC port; 0 picks a free one
 * @param dataDir where the token, artifacts and the embedded database live
 * @param databaseUrl a PostgreSQL JDBC URL; empty starts an embedded PostgreSQL in the data directory
 * @param token the token clients must present; empty reads or generates one in the data directory
 * @param retention how long finished calls' results are kept
 * @param maxContainers the most container processes at once on this machine
 */
public record ServerOptions(String host, int port, Path dataDir, Optional<String> databaseUrl,
    Optional<String> token, Duration retention, int maxContainers) {
  public static final int DEFAULT_PORT = 7700;

  public static ServerOptions defaults(Path dataDir) {
    return new ServerOptions("127.0.0.1", DEFAULT_PORT, dataDir, Optional.empty(), Optional.empty(),
        Duration.ofDays(7), Runtime.getRuntime().availableProcessors());
  }

  public ServerOptions withPort(int port) {
    return new ServerOptions(host, port, dataDir, databaseUrl, token, retention, maxContainers);
  }

  public ServerOptions withToken(String token) {
    return new ServerOptions(host, port, dataDir, databaseUrl, Optional.of(token), retention, maxContainers);
  }

  public ServerOptions withDatabaseUrl(String url) {
    return new ServerOptions(host, port, dataDir, Optional.of(url), token, retention, maxContainers);
  }

  public ServerOptions withHost(String host) {
    return new ServerOptions(host, port, dataDir, databaseUrl, token, retention, maxContainers);
  }

  public ServerOptions withMaxContainers(int maxContainers) {
    return new ServerOptions(host, port, dataDir, databaseUrl, token, retention, maxContainers);
  }
}
