package dev.shoal.internal.cli;

import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.Engines;
import dev.shoal.internal.client.ShoalConfig;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The configured server, for the commands that inspect what lives on one ({@code app}, {@code call}). They do not
 * start an embedded engine: a fresh one would know no app and no call, since those live in the process that ran
 * the job.
 */
final class ServerConnection {
  private ServerConnection() {}

  /** Whether a server is configured; the embedded engine otherwise. */
  static Optional<String> configured() {
    return ShoalConfig.load().server();
  }

  static String noServer(String what) {
    return "no server is configured, and on the embedded engine " + what + " live only in the process that ran"
        + " the job. Point the CLI at a server with `shoal profile add NAME --server HOST:PORT --token TOKEN"
        + " --activate`, or SHOAL_SERVER and SHOAL_TOKEN";
  }

  /** The configured server's connection, or exit 3 with what to do when there is none. */
  static EngineConnection require(String what) {
    if (configured().isEmpty()) {
      throw CliException.notFound(noServer(what));
    }
    return Engines.current();
  }

  /** A stub whose calls give up after {@code seconds}, so that a server that does not answer is reported. */
  static ClientServiceGrpc.ClientServiceBlockingStub blocking(EngineConnection connection, long seconds) {
    return connection.blocking().withDeadlineAfter(seconds, TimeUnit.SECONDS);
  }
}
