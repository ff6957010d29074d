package dev.shoal.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code shoal server} started by the CLI in a JVM of its own (with its embedded PostgreSQL), and a client CLI
 * whose active profile points at it, as a user would set them up.
 */
final class CliServer implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("Shoal server listening on (\\S+)");
  private static final Pattern TOKEN_FILE = Pattern.compile("--token-file (\\S+)");

  private final Process server;
  private final Path dataDir;
  private final Cli client;

  private CliServer(Process server, Path dataDir, Cli client) {
    this.server = server;
    this.dataDir = dataDir;
    this.client = client;
  }

  /** Starts a server whose files are under {@code temp}, with {@code extraFlags} after the usual ones. */
  static CliServer start(Path temp, String... extraFlags) throws IOException, InterruptedException {
    Path serverHome = Files.createDirectories(temp.resolve("server-home"));
    Path out = temp.resolve("server.out");
    Path dataDir = temp.resolve("server-data");
    List<String> args = new java.util.ArrayList<>(List.of("server", "--port", "0", "--data-dir", dataDir.toString(),
        "--max-containers", "4"));
    args.addAll(List.of(extraFlags));
    Process server = new Cli(serverHome.resolve("config.toml"), serverHome).start(out, temp.resolve("server.err"),
        args.toArray(String[]::new));
    try {
      await().atMost(Duration.ofSeconds(60))
          .failFast("the server exited", () -> !server.isAlive())
          .until(() -> TOKEN_FILE.matcher(Files.readString(out)).find());
      String printed = Files.readString(out);
      Matcher listening = LISTENING.matcher(printed);
      Matcher tokenFile = TOKEN_FILE.matcher(printed);
      assertThat(listening.find() && tokenFile.find()).as("server output:\n%s", printed).isTrue();
      Path home = Files.createDirectories(temp.resolve("client-home"));
      Cli client = new Cli(home.resolve(".shoal").resolve("config.toml"), home);
      client.run("profile", "add", "local", "--server", listening.group(1), "--token-file", tokenFile.group(1),
          "--activate").assertExit(0);
      return new CliServer(server, dataDir, client);
    } catch (RuntimeException | Error e) {
      stop(server);
      throw e;
    }
  }

  /** The CLI of a user whose active profile is this server. */
  Cli client() {
    return client;
  }

  /** The server's {@code --data-dir}. */
  Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() throws InterruptedException {
    stop(server);
  }

  private static void stop(Process server) throws InterruptedException {
    List<ProcessHandle> postgres = server.descendants().toList();
    server.destroy();
    if (!server.waitFor(30, TimeUnit.SECONDS)) {
      server.destroyForcibly();
      server.waitFor();
    }
    postgres.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
