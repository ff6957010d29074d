package dev.shoal.reliability;

import dev.shoal.testsupport.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code shoal server} in a child JVM, on its embedded PostgreSQL in a data directory that outlives each process,
 * on one port: killed and started again as often as a test likes. This JVM is pointed at it through the
 * {@code shoal.server} and {@code shoal.token} properties.
 */
final class ServerProcess implements AutoCloseable {
  private static final String SHOAL_CLI = "dev.shoal.internal.cli.ShoalCli";
  private static final String TOKEN = "chaos-token";
  private static final int MAX_CONTAINERS = 6;

  private final Path dataDir;
  private final int port;
  /** Every process the servers started (their PostgreSQL, their containers), so that none outlives the test. */
  private final Set<ProcessHandle> started = new LinkedHashSet<>();
  private Process server;

  ServerProcess(Path dataDir) throws IOException {
    this.dataDir = dataDir;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
  }

  /** Starts the server and waits until it listens. */
  void start() throws IOException {
    server = ChildJvm.start(Map.of(), SHOAL_CLI, "server", "--http-port", "0", "--port", Integer.toString(port),
        "--data-dir", dataDir.toString(), "--token", TOKEN,
        // Room for each function's containers: the default, one per core, would have them queue for each other's.
        "--max-containers", Integer.toString(MAX_CONTAINERS));
    String address = ChildJvm.awaitLine(server, "Shoal server listening on ");
    System.setProperty("shoal.server", address);
    System.setProperty("shoal.token", TOKEN);
  }

  /** {@code kill -9}: the server gets no chance to finish anything; its PostgreSQL is left to the next server. */
  void kill() throws InterruptedException {
    server.descendants().forEach(started::add);
    server.destroyForcibly();
    server.waitFor();
  }

  /**
   * {@code kill -9} of the server and of its PostgreSQL (the postmaster named in the data directory's
   * {@code postmaster.pid}, and its backends): neither gets a chance to flush or finish anything, so what survives
   * is what PostgreSQL had committed to its write-ahead log.
   */
  void killWithDatabase() throws IOException, InterruptedException {
    Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
    long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
    ProcessHandle postgres = ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("no PostgreSQL runs with pid " + pid + " of " + pidFile));
    List<ProcessHandle> database = new ArrayList<>();
    database.add(postgres);
    postgres.descendants().forEach(database::add);
    server.descendants().forEach(started::add);
    server.destroyForcibly();
    database.forEach(ProcessHandle::destroyForcibly);
    server.waitFor();
    for (ProcessHandle p : database) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("PostgreSQL process " + p.pid() + " outlived kill -9", e);
      }
    }
  }

  /** The running server's process, for the soak's samples. */
  ProcessHandle handle() {
    return server.toHandle();
  }

  @Override
  public void close() throws InterruptedException {
    System.clearProperty("shoal.server");
    System.clearProperty("shoal.token");
    if (server != null) {
      server.descendants().forEach(started::add);
      server.destroy();
      server.waitFor();
    }
    started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
