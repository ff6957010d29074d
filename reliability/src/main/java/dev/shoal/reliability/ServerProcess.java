package dev.shoal.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SHOAL_CLI, "server", "--http-port", "0",
        "--port", Integer.toString(port), "--data-dir", dataDir.toString(), "--token", TOKEN,
        // Room for each function's containers: the default, one per core, would have them queue for each other's.
        "--max-containers", Integer.toString(MAX_CONTAINERS)));
    server = new ProcessBuilder(command).redirectErrorStream(true).start();
    String address = awaitLine(server, "Shoal server listening on ");
    System.setProperty("shoal.server", address);
    System.setProperty("shoal.token", TOKEN);
  }

  /** {@code kill -9}: the server gets no chance to finish anything; its PostgreSQL is left to the next server. */
  void kill() throws InterruptedException {
    server.descendants().forEach(started::add);
    server.destroyForcibly();
    server.waitFor();
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

  /**
   * Reads the child's output until a line starts with {@code prefix} and returns the rest of that line; the rest of
   * the output is drained to this JVM's stderr from then on, so that the child never blocks on a full pipe.
   */
  private static String awaitLine(Process process, String prefix) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        Thread.ofVirtual().start(() -> drain(out));
        return line.substring(prefix.length()).trim();
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the server exited without printing '" + prefix + "'; it printed:\n" + seen);
  }

  private static void drain(BufferedReader out) {
    try {
      String line;
      while ((line = out.readLine()) != null) {
        System.err.println("[server] " + line);
      }
    } catch (IOException e) {
      // The server is gone.
    }
  }
}
