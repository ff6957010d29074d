package dev.shoal.it.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.Deployment;
import dev.shoal.FunctionCall;
import dev.shoal.NotFoundException;
import dev.shoal.OutputExpiredException;
import dev.shoal.RemoteFunction;
import dev.shoal.Secret;
import dev.shoal.UnauthenticatedException;
import dev.shoal.internal.client.ArtifactUploader;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import dev.shoal.it.apps.SecretApp;
import dev.shoal.it.apps.ServerApp;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.ListAppsRequest;
import dev.shoal.protocol.v1.StopAppRequest;
import dev.shoal.testsupport.ChildJvm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server (embedded PostgreSQL, process containers) reached by this JVM and by others. */
class ServerTest {
  private static final String TOKEN = "test-token-0123456789";
  private static final MutableClock CLOCK = new MutableClock();

  @TempDir
  static Path dataDir;

  private static ShoalServer server;

  @BeforeAll
  static void start() {
    server = ShoalServer.start(ServerOptions.defaults(dataDir).withPort(0).withToken(TOKEN), CLOCK);
    System.setProperty("shoal.server", server.address());
    System.setProperty("shoal.token", TOKEN);
  }

  @AfterEach
  void rightToken() {
    System.setProperty("shoal.token", TOKEN);
  }

  @AfterAll
  static void stop() {
    System.clearProperty("shoal.server");
    System.clearProperty("shoal.token");
    server.close();
  }

  private static Map<String, String> clientEnv() {
    return Map.of("SHOAL_SERVER", server.address(), "SHOAL_TOKEN", TOKEN, "SHOAL_CONFIG", "/nonexistent");
  }

  private static String appState(String appId) {
    var stub = ClientServiceGrpc.newBlockingStub(
        dev.shoal.internal.client.Channels.open(server.address(), TOKEN));
    return stub.listApps(ListAppsRequest.getDefaultInstance()).getAppsList().stream()
        .filter(a -> a.getAppId().equals(appId)).findFirst().orElseThrow().getState();
  }

  @Test
  void spawnInOneJvmAndGetInAnother() throws Exception {
    String ids = ChildJvm.run(clientEnv(), ServerApp.class.getName(), "IDS ", "spawn", "3");
    String[] each = ids.split(" ");
    assertThat(each).hasSize(3);
    assertThat(FunctionCall.<Integer>fromId(each[2]).get(Duration.ofSeconds(60))).isEqualTo(4);
    assertThat(ChildJvm.run(clientEnv(), ServerApp.class.getName(), "RESULT ", "get", each[1])).isEqualTo("2");
  }

  @Test
  void aFunctionsContainersOnTheServerGetItsSecretsFromItsDatabase() {
    Secret.create(SecretApp.NAMED, Map.of("API_KEY", "server-side-value"), true);

    try (AppRun run = SecretApp.app.run()) {
      assertThat(SecretApp.env.remote("API_KEY")).isEqualTo("server-side-value");
      assertThat(SecretApp.env.remote("MODE")).isEqualTo("from-map");
    }
    assertThatThrownBy(() -> SecretApp.missing.run().close())
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("secret 'it-secret-never-made'");
  }

  @Test
  void deployThenFromNameInASecondJvm() throws Exception {
    Deployment first = ServerApp.app.deploy();
    Deployment second = ServerApp.app.deploy();
    assertThat(second.version()).isEqualTo(first.version() + 1);
    assertThat(ChildJvm.run(clientEnv(), ServerApp.class.getName(), "RESULT ", "lookup")).isEqualTo("42");
  }

  @Test
  void variantOfAFunctionFoundByNameGetsAPoolOfItsOwnInTheDeploymentAndItsSettingsLastUntilTheNextDeploy() {
    ServerApp.app.deploy();
    RemoteFunction<Integer, Integer> fast = RemoteFunction.fromName("server-app", "fast");
    RemoteFunction<Integer, Integer> wide = fast.withConcurrency(8, 2);

    assertThat(wide.name()).startsWith("fast~");
    assertThat(wide.remote(41)).isEqualTo(42);
    assertThat(RemoteFunction.<Integer, Integer>fromName("server-app", "fast").withConcurrency(8, 2).name())
        .as("another caller asking for the same settings gets the same variant").isEqualTo(wide.name());
    assertThat(wide.currentStats().backlog()).isZero();

    fast.updateAutoscaler(a -> a.minContainers(1));
    await().atMost(Duration.ofSeconds(60)).until(() -> fast.currentStats().containers() >= 1);
    ServerApp.app.deploy();
    RemoteFunction<Integer, Integer> next = RemoteFunction.fromName("server-app", "fast");
    assertThat(next.currentStats().containers()).as("a new version starts from its own definition").isZero();
  }

  @Test
  void spawnsFromManyThreadsAtOnceEachGetTheirOwnCallAndOneThatCannotRunFailsAlone() throws Exception {
    Deployment stopped = ServerApp.app.deploy();
    RemoteFunction<Integer, Integer> gone = RemoteFunction.fromName("server-app", "fast");
    var stub = ClientServiceGrpc.newBlockingStub(dev.shoal.internal.client.Channels.open(server.address(), TOKEN));
    stub.stopApp(StopAppRequest.newBuilder().setAppId(stopped.appId()).build());

    int threads = 32;
    int each = 25;
    try (AppRun run = ServerApp.app.run();
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<FunctionCall<Integer>>>> spawned = new ArrayList<>();
      List<Future<Throwable>> refused = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t * each;
        spawned.add(callers.submit(() ->
            IntStream.range(first, first + each).mapToObj(ServerApp.fast::spawn).toList()));
        refused.add(callers.submit(() -> catchThrowable(() -> gone.spawn(first))));
      }
      List<FunctionCall<Integer>> calls = new ArrayList<>();
      for (Future<List<FunctionCall<Integer>>> f : spawned) {
        calls.addAll(f.get());
      }
      assertThat(calls.stream().map(FunctionCall::id).distinct().count()).isEqualTo(threads * each);
      for (int i = 0; i < calls.size(); i++) {
        assertThat(calls.get(i).get(Duration.ofSeconds(120))).isEqualTo(i + 1);
      }
      for (Future<Throwable> f : refused) {
        assertThat(f.get()).isInstanceOf(NotFoundException.class).hasMessageContaining("stopped");
      }
    }
  }

  @Test
  void resultsCollectedByManyThreadsAtOnceEachReachTheirOwnCallerAndAFailedWaitFailsAlone() throws Exception {
    Path release = dataDir.resolve("release-" + System.nanoTime());
    try (AppRun run = ServerApp.app.run();
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<FunctionCall<Integer>> calls = IntStream.range(0, 400).mapToObj(ServerApp.fast::spawn).toList();
      FunctionCall<String> unfinished = ServerApp.awaitFile.spawn(release.toString());
      int collectors = 32;
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<Future<Integer>> collected = new ArrayList<>();
      for (int t = 0; t < collectors; t++) {
        int first = t;
        collected.add(callers.submit(() -> {
          go.await();
          int n = 0;
          for (int i = first; i < calls.size(); i += collectors) {
            assertThat(calls.get(i).get(Duration.ofSeconds(120))).isEqualTo(i + 1);
            n++;
          }
          return n;
        }));
      }
      // Waits that fail, begun at the same moment as the others and so sent in the same requests.
      List<Future<Throwable>> unknown = new ArrayList<>();
      for (int k = 0; k < 8; k++) {
        String id = "fc-nosuchcall" + k;
        unknown.add(callers.submit(() -> {
          go.await();
          return catchThrowable(() -> FunctionCall.fromId(id).get(Duration.ofSeconds(30)));
        }));
      }
      Future<Throwable> tooSoon = callers.submit(() -> {
        go.await();
        return catchThrowable(() -> unfinished.get(Duration.ofMillis(300)));
      });
      go.countDown();

      int total = 0;
      for (Future<Integer> f : collected) {
        total += f.get();
      }
      assertThat(total).isEqualTo(calls.size());
      for (Future<Throwable> f : unknown) {
        assertThat(f.get()).isInstanceOf(NotFoundException.class).hasMessageContaining("fc-nosuchcall");
      }
      assertThat(tooSoon.get()).isInstanceOf(dev.shoal.CallTimeoutException.class);
      java.nio.file.Files.writeString(release, "go");
      assertThat(unfinished.get(Duration.ofSeconds(60))).isEqualTo("found");
    }
  }

  @Test
  void wrongTokenIsRefusedAndNothingRuns() {
    System.setProperty("shoal.token", "not-the-token");
    assertThatThrownBy(() -> ServerApp.app.run())
        .isInstanceOf(UnauthenticatedException.class)
        .hasMessageContaining("SHOAL_TOKEN");
    System.setProperty("shoal.token", TOKEN);
    var stub = ClientServiceGrpc.newBlockingStub(dev.shoal.internal.client.Channels.open(server.address(), TOKEN));
    long before = stub.listApps(ListAppsRequest.getDefaultInstance()).getAppsCount();
    System.setProperty("shoal.token", "not-the-token");
    assertThatThrownBy(() -> ServerApp.app.deploy()).isInstanceOf(UnauthenticatedException.class);
    assertThat(stub.listApps(ListAppsRequest.getDefaultInstance()).getAppsCount()).isEqualTo(before);
  }

  @Test
  void aContainersCredentialCannotManageTheServer() {
    try (AppRun run = ServerApp.app.run()) {
      assertThat(ServerApp.stopFromInside.remote(run.appId()))
          .startsWith("PERMISSION_DENIED")
          .contains("ClientService/StopApp");
      assertThat(appState(run.appId())).isEqualTo("running");
      assertThat(ServerApp.twice.remote(4)).isEqualTo(8);
    }
  }

  @Test
  void artifactsAreUploadedOnce() {
    try (AppRun run = ServerApp.app.run()) {
      assertThat(ServerApp.twice.remote(5)).isEqualTo(10);
    }
    int uploaded = ArtifactUploader.uploads();
    try (AppRun run = ServerApp.app.run()) {
      assertThat(ServerApp.twice.remote(6)).isEqualTo(12);
    }
    assertThat(ArtifactUploader.uploads()).isEqualTo(uploaded);
  }

  @Test
  void ephemeralRunStopsWhenItsClientIsKilledButADetachedOneDoesNot() throws Exception {
    String detached = ChildJvm.run(clientEnv(), ServerApp.class.getName(), "RUN ", "detach");
    Process holder = ChildJvm.start(clientEnv(), ServerApp.class.getName(), "hold");
    String ephemeral = ChildJvm.awaitLine(holder, "RUN ");
    assertThat(appState(ephemeral)).isEqualTo("running");
    holder.destroyForcibly();
    await().atMost(Duration.ofSeconds(60)).until(() -> appState(ephemeral).equals("stopped"));
    assertThat(appState(detached)).isEqualTo("detached");
  }

  @Test
  void resultsExpireAfterTheRetentionPeriod() {
    FunctionCall<Integer> call;
    try (AppRun run = ServerApp.app.run()) {
      call = ServerApp.twice.spawn(7);
      assertThat(call.get(Duration.ofSeconds(60))).isEqualTo(14);
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      CLOCK.advance(Duration.ofDays(8));
      server.controlPlane().expireResults();
      assertThatThrownBy(call::get).isInstanceOf(OutputExpiredException.class);
    });
  }

  /** The system clock, which the tests can move forward. */
  static final class MutableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration d) {
      offset = offset.plus(d);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
