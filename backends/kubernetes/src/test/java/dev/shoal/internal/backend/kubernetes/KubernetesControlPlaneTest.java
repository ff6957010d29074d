package dev.shoal.internal.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.Codec;
import dev.shoal.internal.store.CallState;
import dev.shoal.internal.store.memory.MemoryStore;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import dev.shoal.protocol.v1.RetryPolicy;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole control plane with the Kubernetes backend, against the mock API server in CRUD mode. A simulated node
 * runs each pod as a real process of the runtime's launcher, which fetches the app's classpath from the control
 * plane by hash and connects back with the token it reads from the pod's secret.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesControlPlaneTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir
  static Path shared;

  KubernetesClient client;
  KubernetesMockServer server;
  @TempDir
  Path work;
  private MemoryStore store;
  private PodCluster cluster;
  private SimulatedNode node;

  @BeforeAll
  static void loadApp() {
    // Defines the app in this JVM, so that its functions' definitions can be read.
    PodApp.echo.name();
  }

  @BeforeEach
  void start() {
    store = new MemoryStore();
    node = new SimulatedNode(server.createClient(), PodCluster.NAMESPACE, shared.resolve("cache"));
    cluster = new PodCluster(client, store, shared.resolve("artifacts"), 8);
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    node.close();
  }

  private List<Pod> pods() {
    return client.pods().inNamespace(PodCluster.NAMESPACE).list().getItems();
  }

  @Test
  void podFetchesItsClasspathAndServesInputs() throws Exception {
    StartAppResponse app = cluster.startApp(f -> f);

    CallResponse response = cluster.call(app, "echo", "hello").get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.getResult().getStatus()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(PodCluster.value(response)).startsWith("hello@ct-");
    String containerId = PodCluster.value(response).substring("hello@".length());
    assertThat(node.started()).contains(ContainerPods.podName(containerId));
  }

  @Test
  void containerMayFetchOnlyItsOwnAppsArtifactsAndOnlyWithItsToken() {
    cluster.startApp(f -> f.getName().equals("echo") ? f.toBuilder().setMinContainers(1).build() : f);
    await().atMost(WAIT).until(() -> pods().size() == 1);
    Pod pod = pods().get(0);
    String id = pod.getMetadata().getLabels().get(ContainerPods.CONTAINER);
    String token = SimulatedNode.secretValue(client, PodCluster.NAMESPACE, ContainerPods.secretName(id),
        ContainerPods.TOKEN_KEY);
    String hash = pod.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("SHOAL_ARTIFACTS")).findFirst().orElseThrow().getValue().split(",")[0];
    var channel = dev.shoal.internal.client.Channels.open(cluster.target(),
        dev.shoal.internal.client.Channels.containerCredential(id, token));
    try {
      var stub = dev.shoal.protocol.v1.ContainerServiceGrpc.newBlockingStub(channel);
      var request = dev.shoal.protocol.v1.FetchArtifactRequest.newBuilder().setContainerId(id).setToken(token);

      long bytes = 0;
      for (var it = stub.fetchArtifact(request.setHash(hash).build()); it.hasNext(); ) {
        bytes += it.next().getData().size();
      }
      assertThat(bytes).isPositive();
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.grpc.StatusRuntimeException.class,
          () -> stub.fetchArtifact(request.setHash("f".repeat(64)).build()).hasNext()).getStatus().getCode())
          .isEqualTo(io.grpc.Status.Code.NOT_FOUND);
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.grpc.StatusRuntimeException.class,
          () -> stub.fetchArtifact(request.setHash(hash).setToken("wrong").build()).hasNext()).getStatus()
          .getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void oomKilledPodPutsItsInputBackAndAnotherPodRunsIt() throws Exception {
    StartAppResponse app = cluster.startApp(f -> f.toBuilder().setMaxContainers(1).build());
    CompletableFuture<CallResponse> answer = cluster.call(app, "hold", work.toString());
    await().atMost(WAIT).until(() -> Files.exists(work.resolve("started-1")));
    String first = node.started().get(0);

    node.fail(first, "OOMKilled", 137);

    // The same attempt again: a container that died under an input does not use up a retry.
    await().atMost(WAIT).until(() -> node.started().size() == 2);
    Files.writeString(work.resolve("release"), "");
    CallResponse response = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(response.getResult().getStatus()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(ContainerPods.podName(PodCluster.value(response).substring("released@".length())))
        .isEqualTo(node.started().get(1));
    await().atMost(WAIT).until(() -> client.pods().inNamespace(PodCluster.NAMESPACE).withName(first).get() == null);
  }

  @Test
  void oomKilledPodsReasonIsInTheAppsLog() throws Exception {
    StartAppResponse app = cluster.startApp(f -> f.toBuilder().setMaxContainers(1).build());
    CompletableFuture<CallResponse> answer = cluster.call(app, "hold", work.toString());
    await().atMost(WAIT).until(() -> Files.exists(work.resolve("started-1")));
    String first = node.started().get(0);
    String containerId = client.pods().inNamespace(PodCluster.NAMESPACE).withName(first).get().getMetadata()
        .getLabels().get(ContainerPods.CONTAINER);

    node.fail(first, "OOMKilled", 137);

    await().atMost(WAIT).untilAsserted(() -> assertThat(systemEvents(app.getAppId(), containerId))
        .contains("container crashed with exit code 137: OOMKilled (its memory limit is the function's memoryMb"
            + " plus the launcher's share; raise memoryMb)"));
    Files.writeString(work.resolve("release"), "");
    assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).getResult().getStatus())
        .isEqualTo(ResultStatus.SUCCESS);
  }

  /**
   * The lifecycle events of one container (of every container, for null) in the app's log, as
   * {@code shoal app logs} reads them.
   */
  private List<String> systemEvents(String appId, String containerId) {
    var channel = dev.shoal.internal.client.Channels.open(cluster.target(), PodCluster.TOKEN);
    try {
      List<String> events = new java.util.ArrayList<>();
      var batches = dev.shoal.protocol.v1.ClientServiceGrpc.newBlockingStub(channel)
          .streamLogs(dev.shoal.protocol.v1.StreamLogsRequest.newBuilder().setApp(appId).build());
      batches.forEachRemaining(b -> b.getEntriesList().stream()
          .filter(e -> (containerId == null || e.getContainerId().equals(containerId))
              && e.getSource() == dev.shoal.protocol.v1.LogSource.SYSTEM)
          .forEach(e -> events.add(e.getText())));
      return events;
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void podsWhoseImageCannotBePulledFailTheFunctionsStartWithKubernetesReason() throws Exception {
    node.cannotPull("echo");
    // A start-up timeout far longer than the test: the failure comes from the pods, not from a missed deadline.
    StartAppResponse app = cluster.startApp(f -> f.toBuilder().setStartupTimeoutMs(600_000).build());

    CallResponse response = cluster.call(app, "echo", "never").get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.getResult().getStatus()).isEqualTo(ResultStatus.INIT_FAILURE);
    assertThat(response.getResult().getFailure().getMessage()).contains("cannot pull its image")
        .contains("ImagePullBackOff: Back-off pulling image");
    // Each pod that could not start was deleted and replaced, until the control plane gave up.
    assertThat(node.started()).hasSize(3);
    assertThat(systemEvents(app.getAppId(), null)).anySatisfy(line -> assertThat(line)
        .startsWith("container failed to start").contains("ImagePullBackOff"));
    await().atMost(WAIT).until(() -> pods().isEmpty());
  }

  @Test
  void podsNoNodeTakesFailTheFunctionsStartWithTheSchedulersReasonAfterTheScheduleTimeout() throws Exception {
    node.cannotSchedule("echo", "0/2 nodes are available: 2 Insufficient nvidia.com/gpu.");
    StartAppResponse app = cluster.startApp(f -> f.toBuilder().setStartupTimeoutMs(600_000).build());

    CompletableFuture<CallResponse> answer = cluster.call(app, "echo", "never");
    await().atMost(WAIT).until(() -> node.started().size() == 1);
    cluster.backend.reconcile();
    assertThat(answer).as("a pod waits for a node within the schedule timeout").isNotDone();
    // Reconciliation as it would run once the schedule timeout has passed, for each pod in turn.
    await().atMost(WAIT).until(() -> {
      cluster.backend.reconcile(java.time.Instant.now().plus(KubernetesOptions.DEFAULT_SCHEDULE_TIMEOUT)
          .plusSeconds(1));
      return answer.isDone();
    });

    CallResponse response = answer.get();
    assertThat(response.getResult().getStatus()).isEqualTo(ResultStatus.INIT_FAILURE);
    assertThat(response.getResult().getFailure().getMessage()).contains("found no node")
        .contains("--kube-schedule-timeout").contains("Unschedulable: 0/2 nodes are available");
    assertThat(node.started()).hasSize(3);
    await().atMost(WAIT).until(() -> pods().isEmpty());
  }

  @Test
  void timedOutInputDeletesItsPod() throws Exception {
    StartAppResponse app = cluster.startApp(f -> f.toBuilder().setTimeoutMs(1_500)
        .setRetryPolicy(RetryPolicy.newBuilder().setMaxRetries(0)).build());

    CallResponse response = cluster.call(app, "hold", work.toString()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(response.getResult().getStatus()).isEqualTo(ResultStatus.TIMEOUT);
    String pod = node.started().get(0);
    await().atMost(WAIT).until(() -> client.pods().inNamespace(PodCluster.NAMESPACE).withName(pod).get() == null);
  }

  @Test
  void podsScaleUpToMaxAndDownToMin() throws Exception {
    StartAppResponse app = cluster.startApp(f -> f.getName().equals("hold")
        ? f.toBuilder().setMinContainers(1).setMaxContainers(3).setScaledownWindowMs(500).build()
        : f);
    await().atMost(WAIT).until(() -> runningPods("hold") == 1);

    List<CompletableFuture<CallResponse>> answers = IntStream.range(0, 10)
        .mapToObj(i -> cluster.call(app, "hold", work.toString())).toList();

    await().atMost(WAIT).until(() -> runningPods("hold") == 3);
    await().atMost(WAIT).until(() -> Files.list(work).filter(p -> p.getFileName().toString().startsWith("started"))
        .count() >= 1);
    assertThat(runningPods("hold")).isEqualTo(3);
    Files.writeString(work.resolve("release"), "");
    for (CompletableFuture<CallResponse> a : answers) {
      assertThat(a.get(WAIT.toSeconds(), TimeUnit.SECONDS).getResult().getStatus()).isEqualTo(ResultStatus.SUCCESS);
    }
    await().atMost(WAIT).until(() -> runningPods("hold") == 1);
    assertThat(node.started().size()).isLessThanOrEqualTo(3);
  }

  @Test
  void restartedControlPlaneDeletesThePodsItCannotAdoptOnceTheyEnd() {
    KubernetesClient firstClient = server.createClient();
    cluster.close();
    cluster = new PodCluster(firstClient, store, shared.resolve("artifacts"), 8);
    cluster.startApp(f -> f.getName().equals("echo") ? f.toBuilder().setMinContainers(2).build() : f);
    await().atMost(WAIT).until(() -> pods().size() == 2);
    Set<String> before = names(pods());
    int port = cluster.port();

    cluster.crash(firstClient);
    assertThat(names(pods())).isEqualTo(before);
    // A store that lost the containers' rows: the next life knows none of them.
    store.containers().forEach(c -> store.deleteContainer(c.id()));
    cluster = new PodCluster(client, store, shared.resolve("artifacts"), 8, port);

    // The store still has the detached app, whose two warm containers come back as new pods. The old pods are
    // kept for the adoption window, but their containers, which reconnect and are refused, end, and their pods are
    // deleted then; Kubernetes' garbage collector deletes their secrets with them.
    await().atMost(WAIT).until(() -> pods().size() == 2 && names(pods()).stream().noneMatch(before::contains));
    await().atMost(WAIT).until(() -> {
      SimulatedGarbageCollector.collect(client, PodCluster.NAMESPACE);
      return client.secrets().inNamespace(PodCluster.NAMESPACE).list().getItems().size() == 2;
    });
  }

  @Test
  void aRunningPodOutlivesARestartAndItsSpawnedCallCompletesOnceByTheSameContainer() throws Exception {
    KubernetesClient firstClient = server.createClient();
    cluster.close();
    cluster = new PodCluster(firstClient, store, shared.resolve("artifacts"), 8);
    Path dir = Files.createDirectories(work.resolve("held"));
    String callId = spawnHeld(dir);
    Pod pod = pods().getFirst();
    int port = cluster.port();

    cluster.crash(firstClient);
    cluster = new PodCluster(client, store, shared.resolve("artifacts"), 8, port);
    // The body runs on through the restart; it returns once the next life is up, to whichever control plane its
    // container then speaks to.
    Files.writeString(dir.resolve("release"), "");

    await().atMost(WAIT).until(() -> store.call(callId).orElseThrow().state() == CallState.SUCCEEDED);
    Result result = Result.parseFrom(store.call(callId).orElseThrow().result());
    assertThat(Codec.decode(result.getValue().getData().toByteArray(),
        ClassPolicy.jdkOnly(getClass().getClassLoader())))
        .isEqualTo("released@" + pod.getMetadata().getLabels().get(ContainerPods.CONTAINER));
    assertThat(node.started()).as("no other pod ran it").containsExactly(pod.getMetadata().getName());
    assertThat(names(pods())).containsExactly(pod.getMetadata().getName());
  }

  @Test
  void aGracefulStopKeepsTheRunningPodAndTheNextLifeAdoptsItsCallWhichRunsOnce() throws Exception {
    Path dir = Files.createDirectories(work.resolve("held"));
    String callId = spawnHeld(dir);
    Pod pod = pods().getFirst();
    String containerId = pod.getMetadata().getLabels().get(ContainerPods.CONTAINER);
    int port = cluster.port();

    cluster.close();

    Pod kept = client.pods().inNamespace(PodCluster.NAMESPACE).withName(pod.getMetadata().getName()).get();
    assertThat(kept).as("the pod outlives a graceful stop").isNotNull();
    assertThat(kept.getMetadata().getDeletionTimestamp()).isNull();
    assertThat(store.containers()).extracting(c -> c.id()).containsExactly(containerId);
    cluster = new PodCluster(client, store, shared.resolve("artifacts"), 8, port);
    // Released once the next life listens: the body has run on through the stop.
    Files.writeString(dir.resolve("release"), "");

    CompletableFuture<dev.shoal.protocol.v1.AwaitResultResponse> answer = new CompletableFuture<>();
    cluster.controlPlane.awaitResult(callId, WAIT.toMillis(), answer::complete);
    Result result = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).getResult();
    assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(Codec.decode(result.getValue().getData().toByteArray(),
        ClassPolicy.jdkOnly(getClass().getClassLoader()))).isEqualTo("released@" + containerId);
    assertThat(Files.readAllLines(dir.resolve("runs"))).as("the body ran once").containsExactly(containerId);
    assertThat(node.started()).as("no other pod ran it").containsExactly(pod.getMetadata().getName());
  }

  private static Set<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
  }

  private long runningPods(String function) {
    return client.pods().inNamespace(PodCluster.NAMESPACE).withLabel("shoal.dev/function", function).list()
        .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).count();
  }

  /**
   * Spawns one call of {@code hold} (capped at one container, a long timeout) that runs until {@code release}
   * appears in {@code dir}, and returns its id once its body has started.
   */
  private String spawnHeld(Path dir) throws Exception {
    StartAppResponse app = cluster.startApp(f -> f.getName().equals("hold")
        ? f.toBuilder().setMaxContainers(1).setTimeoutMs(600_000).build() : f);
    String callId = cluster.controlPlane.spawn(List.of(SpawnRequest.newBuilder()
        .setFunctionId(app.getFunctionIdsOrThrow("hold"))
        .setArgs(Payload.newBuilder().setCodec(Codec.ID).setData(ByteString.copyFrom(Codec.encode(dir.toString()))))
        .build())).join().getFirst().getCallId();
    await().atMost(WAIT).until(() -> Files.exists(dir.resolve("started-1")));
    return callId;
  }
}
