package dev.shoal.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.FunctionCall;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import dev.shoal.spring.apps.JobsApp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An application that shuts down while a spawn is on its way to a server that is restarting: the shutdown waits
 * for the server to store the spawn, so the id its caller got is a real call.
 */
class GracefulShutdownTest {
  private static final String TOKEN = "shutdown-test-token-0123456789";

  @TempDir
  Path dataDir;

  @AfterEach
  void forgetTheServer() {
    SdkProperties.clear();
  }

  @Test
  void shutdownWaitsForASpawnInFlightToBeAcknowledged() throws Exception {
    int port = freePort();
    ServerOptions options = ServerOptions.defaults(dataDir).withPort(port).withToken(TOKEN);
    ShoalServer first = ShoalServer.start(options);
    ApplicationContextRunner contexts = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ShoalAutoConfiguration.class))
        .withPropertyValues("shoal.server=" + first.address(), "shoal.token=" + TOKEN, "shoal.shutdown-timeout=2m");
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    try {
      contexts.run(context -> {
        ShoalClient client = context.getBean(ShoalClient.class);
        JobsApp.app.deploy();
        client.function("jobs", "twice");
        first.close();

        CompletableFuture<FunctionCall<Integer>> spawn =
            CompletableFuture.supplyAsync(() -> client.spawn("jobs", "twice", 8), threads);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.inFlightSpawns() == 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close, threads);
        await().atMost(Duration.ofSeconds(30)).until(() -> !client.isRunning());
        // The server is down, so neither can have finished: the spawn is retried through the outage.
        assertThat(spawn).isNotDone();
        assertThat(closing).isNotDone();

        try (ShoalServer second = ShoalServer.start(options)) {
          FunctionCall<Integer> call = spawn.get(60, TimeUnit.SECONDS);
          closing.get(60, TimeUnit.SECONDS);
          assertThat(call.get(Duration.ofSeconds(60))).isEqualTo(16);
        }
      });
    } finally {
      threads.shutdownNow();
      threads.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
