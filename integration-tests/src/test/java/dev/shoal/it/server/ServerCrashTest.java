package dev.shoal.it.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.RunOptions;
import dev.shoal.internal.cli.ShoalCli;
import dev.shoal.it.apps.ServerApp;
import dev.shoal.testsupport.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server is killed with calls in flight, restarted on the same data directory, and loses nothing. */
class ServerCrashTest {
  private static final String TOKEN = "crash-test-token";

  @TempDir
  Path dataDir;

  private Process server;

  private String startServer() throws Exception {
    server = ChildJvm.start(Map.of(), ShoalCli.class.getName(), "server", "--http-port", "0",
        "--port", "0", "--data-dir", dataDir.toString(), "--token", TOKEN);
    String address = ChildJvm.awaitLine(server, "Shoal server listening on ");
    System.setProperty("shoal.server", address);
    System.setProperty("shoal.token", TOKEN);
    return address;
  }

  @AfterEach
  void stop() throws Exception {
    System.clearProperty("shoal.server");
    System.clearProperty("shoal.token");
    if (server != null) {
      server.destroy();
      server.waitFor();
    }
  }

  @Test
  @Timeout(300)
  void killedServerCompletesEveryCallExactlyOnceAfterRestart() throws Exception {
    startServer();
    List<String> ids = new ArrayList<>();
    AppRun run = ServerApp.app.run(RunOptions.builder().detach(true).build());
    for (int i = 0; i < 1000; i++) {
      ids.add(ServerApp.slowTwice.spawn(i).id());
    }
    server.destroyForcibly(); // kill -9, with most calls queued or running
    server.waitFor();

    startServer();
    for (int i = 0; i < ids.size(); i++) {
      assertThat(FunctionCall.<Integer>fromId(ids.get(i)).get(Duration.ofSeconds(120)))
          .as("call %d (%s)", i, ids.get(i))
          .isEqualTo(2 * i);
    }
    assertThat(ids).doesNotHaveDuplicates();
    run.close(); // a detached run is left running; this only releases the handle
  }
}
