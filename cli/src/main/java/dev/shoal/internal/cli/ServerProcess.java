package dev.shoal.internal.cli;

import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a {@link ShoalServer} for {@code shoal server}. The only class of the CLI that names server types: the
 * launcher puts the server and its dependencies on the classpath for that command alone, so every other command
 * (and the jobs and containers it starts) stays free of them.
 */
final class ServerProcess {
  private ServerProcess() {}

  /** Where containers run: {@code local}, or {@code kubernetes} with its options (null where not given). */
  record Backend(String name, String image, String namespace, String kubeconfig, String advertise,
      String gpuLabel, String cpuLimit, String launcherMemory, String podTemplate) {}

  /** Starts the server, prints where it listens (and, at first start, its token), and blocks until stopped. */
  static void serve(String host, int port, int httpPort, Path dataDir, String databaseUrl, String token,
      Integer maxContainers, String volumeStore, String s3Endpoint, Backend backend) throws InterruptedException {
    ServerOptions options = ServerOptions.defaults(dataDir).withHost(host).withPort(port).withHttpPort(httpPort);
    if (token != null) {
      options = options.withToken(token);
    }
    if (databaseUrl != null) {
      options = options.withDatabaseUrl(databaseUrl);
    }
    if (maxContainers != null) {
      options = options.withMaxContainers(maxContainers);
    }
    if (volumeStore != null) {
      options = options.withVolumeStore(volumeStore, java.util.Optional.ofNullable(s3Endpoint));
    }
    options = dev.shoal.internal.server.ServerMain.withBackend(options, backend.name(), backend.image(),
        backend.namespace(), backend.kubeconfig(), backend.advertise(), backend.gpuLabel(), backend.cpuLimit(),
        backend.launcherMemory(), backend.podTemplate());
    boolean generatesToken = token == null && !Files.exists(dataDir.resolve("token"));
    ShoalServer server = ShoalServer.start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shoal-server-shutdown"));
    System.out.println("Shoal server listening on " + server.address());
    server.dashboardUrl().ifPresent(url -> System.out.println("Shoal dashboard on " + url));
    if (generatesToken) {
      String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1:" + server.port()
          : server.address(); // a wildcard listen address is not one a client can dial
      System.out.println("Generated its token, kept in " + dataDir.resolve("token") + ". To use this server from"
          + " here:");
      System.out.println("  shoal profile add local --server " + reachable + " --token " + server.token()
          + " --activate");
    }
    System.out.flush();
    server.awaitTermination();
  }
}
