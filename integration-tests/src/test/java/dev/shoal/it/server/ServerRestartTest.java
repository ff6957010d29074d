package dev.shoal.it.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.MapCall;
import dev.shoal.RunOptions;
import dev.shoal.ShoalException;
import dev.shoal.internal.cli.ShoalCli;
import dev.shoal.internal.client.Engines;
import dev.shoal.it.apps.RestartApp;
import dev.shoal.testsupport.ChildJvm;
import io.grpc.ConnectivityState;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code shoal server} on its embedded PostgreSQL, killed with {@code kill -9} and started again on the
 * same data directory and port while this process spawns, waits and maps as a client: the SDK rides out the
 * outage, and the server's idempotency keys make sure no spawn is lost or made twice.
 */
class ServerRestartTest {
  private static final String TOKEN = "restart-test-token";

  @TempDir
  Path dataDir;

  @TempDir
  Path marks;

  private int port;
  private Process server;
  /** The test's run, closed after it even when the test fails, so that the next test may start the app again. */
  private AppRun run;

  @BeforeEach
  void pickPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
  }

  private void startServer() throws Exception {
    server = ChildJvm.start(Map.of(), ShoalCli.class.getName(), "server", "--http-port", "0",
        "--port", Integer.toString(port), "--data-dir", dataDir.toString(), "--token", TOKEN);
    String address = ChildJvm.awaitLine(server, "Shoal server listening on ");
    System.setProperty("shoal.server", address);
    System.setProperty("shoal.token", TOKEN);
  }

  /** {@code kill -9}: the server gets no chance to finish anything it was doing. */
  private void killServer() throws InterruptedException {
    server.destroyForcibly();
    server.waitFor();
  }

  @AfterEach
  void stop() throws Exception {
    if (run != null) {
      run.close();
    }
    System.clearProperty("shoal.server");
    System.clearProperty("shoal.token");
    if (server != null) {
      server.destroy();
      server.waitFor();
    }
  }

  @Test
  @Timeout(600)
  void everySpawnAcknowledgedAcrossAKillNineRunsUnderOneCallAndNoSpawnThatFailedRuns() throws Exception {
    startServer();
    run = RestartApp.app.run(RunOptions.builder().detach(true).build());
    Map<Integer, String> acknowledged = new ConcurrentHashMap<>();
    Map<Integer, Throwable> failed = new ConcurrentHashMap<>();
    Set<Integer> begunWhileDown = ConcurrentHashMap.newKeySet();
    AtomicBoolean down = new AtomicBoolean();
    AtomicBoolean enough = new AtomicBoolean();
    AtomicInteger next = new AtomicInteger();
    List<Thread> spawners = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      spawners.add(Thread.ofPlatform().name("spawner-" + t).start(() -> {
        while (!enough.get()) {
          int n = next.getAndIncrement();
          if (down.get()) {
            begunWhileDown.add(n);
          }
          try {
            acknowledged.put(n, RestartApp.mark.spawn(marks + "|" + n).id());
          } catch (ShoalException e) {
            failed.put(n, e);
          }
        }
      }));
    }

    await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= 300);
    killServer();
    down.set(true);
    // Each spawner's current spawn waits in its retries; these spawns are begun while the server is gone.
    CountDownLatch begun = new CountDownLatch(16);
    for (int t = 0; t < 16; t++) {
      spawners.add(Thread.ofPlatform().name("outage-spawner-" + t).start(() -> {
        int n = next.getAndIncrement();
        begunWhileDown.add(n);
        begun.countDown();
        try {
          acknowledged.put(n, RestartApp.mark.spawn(marks + "|" + n).id());
        } catch (ShoalException e) {
          failed.put(n, e);
        }
      }));
    }
    assertThat(begun.await(1, TimeUnit.MINUTES)).isTrue();
    int acknowledgedBeforeRestart = acknowledged.size();
    startServer();
    down.set(false);
    await().atMost(Duration.ofMinutes(3)).until(() -> acknowledged.size() >= acknowledgedBeforeRestart + 300);
    enough.set(true);
    for (Thread spawner : spawners) {
      spawner.join();
    }

    assertThat(failed).as("spawns that reported an error").isEmpty();
    assertThat(begunWhileDown).as("spawns begun while the server was down").hasSizeGreaterThanOrEqualTo(16)
        .allSatisfy(n -> assertThat(acknowledged).containsKey(n));
    assertThat(acknowledged.values()).doesNotHaveDuplicates();
    for (Map.Entry<Integer, String> spawn : acknowledged.entrySet()) {
      assertThat(FunctionCall.<Integer>fromId(spawn.getValue()).get(Duration.ofMinutes(2)))
          .as("the result of spawn %d (%s)", spawn.getKey(), spawn.getValue())
          .isEqualTo(2 * spawn.getKey());
    }
    Map<Integer, Set<String>> callsThatRan = new HashMap<>();
    Map<Integer, Integer> runs = new HashMap<>();
    try (Stream<Path> files = Files.list(marks)) {
      files.map(f -> f.getFileName().toString().split("_")).forEach(mark -> {
        int n = Integer.parseInt(mark[0]);
        callsThatRan.computeIfAbsent(n, k -> new HashSet<>()).add(mark[1]);
        runs.merge(n, 1, Integer::sum);
      });
    }
    // Each spawn ran under exactly the one call its caller was given, never under a second call; a run cut off by
    // the kill is run again under the same call (at least once, one result), which is what the count shows.
    assertThat(callsThatRan.keySet()).isEqualTo(acknowledged.keySet());
    acknowledged.forEach((n, id) -> assertThat(callsThatRan.get(n)).as("calls that ran spawn %d", n)
        .containsExactly(id));
    long rerun = runs.values().stream().filter(r -> r > 1).count();
    System.err.println("[restart] " + acknowledged.size() + " spawns acknowledged, " + begunWhileDown.size()
        + " begun while the server was down, " + rerun + " run again after the kill cut their first run short");
    run.close();
  }

  @Test
  @Timeout(300)
  void aGetWaitingAcrossAKillNineReturnsTheResult() throws Exception {
    startServer();
    run = RestartApp.app.run(RunOptions.builder().detach(true).build());
    Path release = marks.resolve("release");
    FunctionCall<String> call = RestartApp.awaitFile.spawn(release.toString());
    CompletableFuture<String> result = CompletableFuture.supplyAsync(call::get);
    await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(marks.resolve("release.started")));

    killServer();
    startServer();
    Files.writeString(release, "");

    assertThat(result.get(2, TimeUnit.MINUTES)).isEqualTo("found");
    assertThat(FunctionCall.<String>fromId(call.id()).get(Duration.ofSeconds(30))).isEqualTo("found");
    run.close();
  }

  @Test
  @Timeout(600)
  void aSpawnMapWhoseUploadIsCutOffByAKillNineIsResumedAndStoresEachInputOnce() throws Exception {
    startServer();
    run = RestartApp.app.run(RunOptions.builder().detach(true).build());
    int total = 6_000;
    int killAt = 3_000;
    AtomicBoolean killed = new AtomicBoolean();
    CompletableFuture<Void> restarted = new CompletableFuture<>();
    // Reading the inputs a first time, it stops at killAt until the first input has run (so some are stored),
    // then kills the server and starts it again from another thread; every later reading just gives the inputs.
    Iterable<String> inputs = () -> new java.util.Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < total;
      }

      @Override
      public String next() {
        if (next == killAt && killed.compareAndSet(false, true)) {
          await().atMost(Duration.ofMinutes(2)).until(() -> hasMarks());
          try {
            killServer();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          Thread.ofPlatform().start(() -> {
            try {
              startServer();
              restarted.complete(null);
            } catch (Exception e) {
              restarted.completeExceptionally(e);
            }
          });
        }
        return marks + "|" + next++;
      }
    };

    dev.shoal.SpawnedMap map = RestartApp.mark.spawnMap(inputs);
    restarted.get(2, TimeUnit.MINUTES);

    assertThat(killed).isTrue();
    await().atMost(Duration.ofMinutes(5)).until(() -> map.progress().succeeded() == total);
    dev.shoal.MapProgress progress = map.progress();
    assertThat(progress.total()).isEqualTo(total);
    assertThat(progress.pending() + progress.running() + progress.failed() + progress.cancelled()).isZero();
    Map<Integer, Set<String>> inputsThatRan = new HashMap<>();
    try (Stream<Path> files = Files.list(marks)) {
      files.map(f -> f.getFileName().toString().split("_")).forEach(mark ->
          inputsThatRan.computeIfAbsent(Integer.parseInt(mark[0]), k -> new HashSet<>()).add(mark[1]));
    }
    assertThat(inputsThatRan).hasSize(total);
    inputsThatRan.forEach((n, ids) -> assertThat(ids).as("inputs that ran index %d", n)
        .containsExactly(map.id() + "-" + n));
    run.close();
  }

  private boolean hasMarks() throws IOException {
    try (Stream<Path> files = Files.list(marks)) {
      return files.findAny().isPresent();
    }
  }

  @Test
  @Timeout(300)
  void aMapCutOffByAKillNineEndsWithAnErrorSayingWhatItDelivered() throws Exception {
    startServer();
    run = RestartApp.app.run(RunOptions.builder().detach(true).build());
    List<Integer> delivered = new ArrayList<>();
    CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
      try (MapCall<Integer> results = RestartApp.slow.map(IntStream.range(0, 5_000).boxed().toList())) {
        for (int r : results) {
          synchronized (delivered) {
            delivered.add(r);
          }
        }
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    });
    await().atMost(Duration.ofMinutes(2)).until(() -> {
      synchronized (delivered) {
        return delivered.size() >= 50;
      }
    });

    killServer();

    Throwable error = ended.get(2, TimeUnit.MINUTES);
    int count;
    synchronized (delivered) {
      count = delivered.size();
      assertThat(delivered).containsExactlyElementsOf(IntStream.range(0, count).map(i -> 2 * i).boxed().toList());
    }
    assertThat(error).isInstanceOf(ShoalException.class)
        .hasMessageContaining("lost its connection to the Shoal engine")
        .hasMessageContaining("after delivering the results of " + count + " of the ")
        .hasMessageContaining("(inputs 0.." + (count - 1) + ", in order)")
        .hasMessageContaining("map the remaining inputs again");
    run.close();
  }

  @Test
  @Timeout(300)
  void aRemoteCallInFlightWhenTheServerIsKilledFailsSayingItMayHaveRun() throws Exception {
    startServer();
    run = RestartApp.app.run(RunOptions.builder().detach(true).build());
    Path release = marks.resolve("never");
    CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
      try {
        RestartApp.awaitFile.remote(release.toString());
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    });
    await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(marks.resolve("never.started")));

    killServer();

    assertThat(ended.get(2, TimeUnit.MINUTES)).isInstanceOf(ShoalException.class)
        .hasMessageContaining("may have run")
        .hasMessageContaining("it was not sent again");
    run.close();
  }

  @Test
  @Timeout(300)
  void aRemoteCallMadeWhileTheServerIsDownIsSentOnceItIsBack() throws Exception {
    startServer();
    run = RestartApp.app.run(RunOptions.builder().detach(true).build());
    assertThat(RestartApp.slow.remote(1)).isEqualTo(2);
    killServer();
    // Until this client has read the end of its connection, a call is written to the dead connection and may as
    // well have reached the server, which remote() reports rather than repeats; this test's call is made after.
    await().atMost(Duration.ofMinutes(1))
        .until(() -> Engines.current().channel().getState(false) != ConnectivityState.READY);

    CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> RestartApp.slow.remote(21));
    startServer();

    assertThat(result.get(2, TimeUnit.MINUTES)).isEqualTo(42);
    run.close();
  }
}
