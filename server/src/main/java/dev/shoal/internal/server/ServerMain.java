package dev.shoal.internal.server;

import java.nio.file.Path;

/**
 * Starts a server from plain arguments: {@code --port N --data-dir DIR [--token T] [--database-url URL]
 * [--http-port N]}. The
 * {@code shoal server} command is the way people start one; this is what tests and scripts use.
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    ServerOptions options = ServerOptions.defaults(Path.of(System.getProperty("user.home"), ".shoal", "server"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      options = switch (args[i]) {
        case "--port" -> options.withPort(Integer.parseInt(value));
        case "--host" -> options.withHost(value);
        case "--data-dir" -> options.withDataDir(Path.of(value));
        case "--volume-store" -> options.withVolumeStore(value, options.s3Endpoint());
        case "--s3-endpoint" -> options.withVolumeStore(options.volumeStore().orElseThrow(
            () -> new IllegalArgumentException("--s3-endpoint needs --volume-store s3://... before it")),
            java.util.Optional.of(value));
        case "--token" -> options.withToken(value);
        case "--database-url" -> options.withDatabaseUrl(value);
        case "--max-containers" -> options.withMaxContainers(Integer.parseInt(value));
        case "--http-port" -> options.withHttpPort(Integer.parseInt(value));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      };
    }
    ShoalServer server = ShoalServer.start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shoal-server-shutdown"));
    System.out.println("Shoal server listening on " + server.address());
    server.dashboardUrl().ifPresent(url -> System.out.println("Shoal dashboard on " + url));
    System.out.flush();
    server.awaitTermination();
  }
}
