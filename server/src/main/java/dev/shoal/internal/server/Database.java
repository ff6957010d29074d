package dev.shoal.internal.server;

import dev.shoal.internal.client.ExitHooks;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.postgres.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The server's PostgreSQL: an existing one named by a JDBC URL, or one the server starts itself in its data
 * directory, so that a single machine needs no set-up. The embedded one keeps its files between starts.
 */
final class Database implements AutoCloseable {
  private final EmbeddedPostgres embedded;
  private final PostgresStore store;
  private final Runnable forgetExit;
  private boolean closed;

  private Database(EmbeddedPostgres embedded, PostgresStore store) {
    this.embedded = embedded;
    this.store = store;
    // The embedded PostgreSQL stops at the JVM's exit after Shoal's own exit work, which writes to it as the server
    // closes (the dashboard's last samples); see open().
    this.forgetExit = embedded == null ? () -> { } : ExitHooks.addLast("shoal-postgres", this::close);
  }

  static Database open(Optional<String> url, Optional<ServerOptions.DatabaseLogin> login, Path embeddedDir) {
    if (url.isPresent()) {
      return new Database(null, PostgresStore.connect(url.get(), login.map(ServerOptions.DatabaseLogin::user)
          .orElse(null), login.map(ServerOptions.DatabaseLogin::password).orElse(null)));
    }
    try {
      Files.createDirectories(embeddedDir);
      stopOrphan(embeddedDir);
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(embeddedDir)
          .setCleanDataDirectory(false)
          // The library starts PostgreSQL for tests: commits that return before their WAL is written, and no
          // fsync at all (its "-F"). A spawn acknowledged to its caller must survive a crash of the machine, not
          // only of the processes, and without fsync a power cut can leave the database itself unreadable. Each
          // commit then waits for one fdatasync (0.49 ms on this project's test machine), which the store's group
          // commits share among the spawns of a batch.
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("fsync", "on")
          // Its own JVM hook would stop PostgreSQL as the exit begins, beside the hook that closes the server: the
          // dashboard's last write then waited 30 s for a connection (the pool's timeout) and failed, and a SIGTERM
          // took that long to stop the server. ExitHooks stops it once the server has closed instead.
          .setRegisterShutdownHook(false)
          .start();
      return new Database(postgres, new PostgresStore(postgres.getPostgresDatabase()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + embeddedDir, e);
    }
  }

  /**
   * Stops a PostgreSQL left running on this data directory by a server that was killed without shutting it
   * down (its postgres process outlives it). PostgreSQL recovers from its write-ahead log at the next start, so
   * stopping it fast loses nothing that was committed.
   */
  private static void stopOrphan(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
    long pid;
    try {
      pid = Long.parseLong(first);
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(false));
    if (orphan.isEmpty()) {
      return;
    }
    ProcessHandle postgres = orphan.get();
    postgres.destroy(); // SIGTERM: PostgreSQL's smart shutdown; it exits once it has no clients.
    try {
      postgres.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      postgres.destroyForcibly();
      try {
        postgres.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception ignored) {
        throw new IOException("a PostgreSQL left running on " + dir + " (pid " + pid + ") does not stop");
      }
    }
  }

  StateStore store() {
    return store;
  }

  /** The PostgreSQL this server started itself; empty when it was given one by URL. */
  Optional<EmbeddedPostgres> embedded() {
    return Optional.ofNullable(embedded);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    forgetExit.run();
    store.close();
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        // The process is going away; PostgreSQL recovers its files at the next start.
      }
    }
  }
}
