package dev.shoal.internal.cli;

import dev.shoal.internal.client.ExitHooks;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ServerTls;
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
      String gpuLabel, String cpuLimit, String launcherMemory, String podTemplate, String instance,
      java.time.Duration scheduleTimeout) {}

  /** A server's flags, checked and with their defaults (null where a flag leaves the server's own default). */
  record Flags(String host, int port, int httpPort, Path dataDir, String databaseUrl, String databaseUser,
      String databasePassword, String token, Integer maxContainers, String volumeStore, String s3Endpoint,
      Path tlsCert, Path tlsKey, Path secretKeyFile, Backend backend) {}

  /** The server's options that {@code flags} ask for. */
  static ServerOptions options(Flags flags) {
    ServerOptions options = ServerOptions.defaults(flags.dataDir()).withHost(flags.host()).withPort(flags.port())
        .withHttpPort(flags.httpPort());
    if (flags.token() != null) {
      options = options.withToken(flags.token());
    }
    if (flags.databaseUrl() != null) {
      options = options.withDatabaseUrl(flags.databaseUrl());
    }
    if (flags.databaseUser() != null || flags.databasePassword() != null) {
      options = options.withDatabaseLogin(flags.databaseUser(), flags.databasePassword());
    }
    if (flags.tlsCert() != null) {
      options = options.withTls(new ServerTls(flags.tlsCert(), flags.tlsKey()));
    }
    if (flags.secretKeyFile() != null) {
      options = options.withSecretKeyFile(flags.secretKeyFile());
    }
    if (flags.maxContainers() != null) {
      options = options.withMaxContainers(flags.maxContainers());
    }
    if (flags.volumeStore() != null) {
      options = options.withVolumeStore(flags.volumeStore(), java.util.Optional.ofNullable(flags.s3Endpoint()));
    }
    Backend backend = flags.backend();
    options = options.withBackend(backend.name(), backend.image(), backend.namespace(), backend.kubeconfig(),
        backend.advertise(), backend.gpuLabel(), backend.cpuLimit(), backend.launcherMemory(), backend.podTemplate());
    if (backend.scheduleTimeout() != null) {
      options = options.withKubeScheduleTimeout(backend.scheduleTimeout());
    }
    return backend.instance() == null ? options : options.withKubeInstance(backend.instance());
  }

  /** Starts the server, prints where it listens (and, at first start, its token), and blocks until stopped. */
  static void serve(Flags flags) throws InterruptedException {
    ServerOptions options = options(flags);
    String token = flags.token();
    Path dataDir = flags.dataDir();
    String host = flags.host();
    boolean generatesToken = token == null && !Files.exists(dataDir.resolve("token"));
    ShoalServer server = ShoalServer.start(options);
    // Through ExitHooks, which ends the network threads once the server has closed.
    ExitHooks.add("shoal-server-shutdown", server::close);
    System.out.println("Shoal server listening on " + server.address() + (server.tls() ? " (TLS)" : ""));
    server.dashboardUrl().ifPresent(url -> System.out.println("Shoal dashboard on " + url));
    if (generatesToken) {
      String reachable = (server.tls() ? "https://" : "")
          + (host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1:" + server.port()
              : server.address()); // a wildcard listen address is not one a client can dial
      // The file, not the token: what a server prints ends up in terminals' scrollback and in pod logs.
      System.out.println("Generated its token, kept in " + dataDir.resolve("token") + ". To use this server from"
          + " here:");
      System.out.println("  shoal profile add local --server " + reachable + " --token-file "
          + dataDir.resolve("token") + (server.tls() ? " --tls-ca CA.pem" : "") + " --activate");
    }
    System.out.flush();
    server.awaitTermination();
  }
}
