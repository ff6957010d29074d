package dev.shoal.internal.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.protocol.v1.FunctionDefinition;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backend alone against the mock API server in CRUD mode, which stores objects but runs no pod. */
@EnableKubernetesMockClient(crud = true)
class KubernetesBackendTest {
  private static final String NS = "shoal-test";
  private static final String HASH_A = "a".repeat(64);
  private static final String HASH_B = "b".repeat(64);

  KubernetesClient client;
  KubernetesMockServer server;
  private KubernetesBackend backend;
  private final Map<String, String> exits = new ConcurrentHashMap<>();
  private final Map<String, String> reasons = new ConcurrentHashMap<>();
  private final Map<String, ContainerExit.Cause> causes = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    backend = new KubernetesBackend(client, options("shoal"));
  }

  @AfterEach
  void stop() {
    backend.close();
  }

  private static KubernetesOptions options(String instance) {
    return new KubernetesOptions(NS, "registry.example/shoal-runtime:1", "shoal.shoal-test.svc:7700", 10, instance);
  }

  private static ContainerSpec spec(String id, FunctionDefinition function) {
    return new ContainerSpec(id, "secret-token-of-" + id, "my-app", "com.example.Job",
        List.of("/data/artifacts/" + HASH_A + ".jar", "/data/artifacts/" + HASH_B + ".jar"), function);
  }

  /** Starts a container and waits until its pod and secret are made, which start() leaves to other threads. */
  private ContainerHandle start(String id, FunctionDefinition function) {
    ContainerHandle handle = backend.start(spec(id, function), (containerId, exit) -> {
      reasons.put(containerId, exit.reason());
      causes.put(containerId, exit.cause());
      exits.put(containerId, exit.exitCode() + " " + exit.detail());
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> pod(id) != null && secret(id) != null);
    return handle;
  }

  private Pod pod(String containerId) {
    return client.pods().inNamespace(NS).withName(ContainerPods.podName(containerId)).get();
  }

  /** Whether the container's secret is gone, once Kubernetes' garbage collector has had its turn. */
  private boolean collected(String containerId) {
    SimulatedGarbageCollector.collect(client, NS);
    return secret(containerId) == null;
  }

  private Secret secret(String containerId) {
    return client.secrets().inNamespace(NS).withName(ContainerPods.secretName(containerId)).get();
  }

  @Test
  void podCarriesResourcesGpuLabelsAndTheTokenBySecretReference() {
    FunctionDefinition function = FunctionDefinition.newBuilder().setName("embed").setCpu(1.5).setMemoryMb(2048)
        .setGpu("A100:2").putEnv("MODEL", "small").putEnv("SHOAL_CONTAINER_ID", "not-mine").build();
    start("ct-AbC123", function);

    Pod pod = pod("ct-AbC123");
    assertThat(pod.getMetadata().getName()).isEqualTo("shoal-ct-abc123");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "shoal")
        .containsEntry("shoal.dev/app", "my-app").containsEntry("shoal.dev/function", "embed")
        .containsEntry("shoal.dev/container", "ct-AbC123").containsEntry("shoal.dev/instance", "shoal");
    var container = pod.getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("registry.example/shoal-runtime:1");
    // The function's memory plus the launcher's, requested and limited; its CPU requested only.
    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("1500m")).containsEntry("memory", new Quantity("2176Mi"));
    assertThat(container.getResources().getLimits())
        .doesNotContainKey("cpu").containsEntry("memory", new Quantity("2176Mi"))
        .containsEntry("nvidia.com/gpu", new Quantity("2"));
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("shoal.dev/gpu", "A100:2");
    assertThat(pod.getSpec().getNodeSelector()).containsExactly(Map.entry("nvidia.com/gpu.product", "A100"));

    Map<String, EnvVar> env = new java.util.HashMap<>();
    container.getEnv().forEach(e -> env.put(e.getName(), e));
    // The function's environment (which carries its named secrets' values) only by reference to its secret.
    assertThat(env.get("MODEL").getValue()).isNull();
    var model = env.get("MODEL").getValueFrom().getSecretKeyRef();
    assertThat(SimulatedNode.secretValue(client, NS, model.getName(), model.getKey())).isEqualTo("small");
    assertThat(container.getEnv()).noneMatch(e -> "small".equals(e.getValue()));
    assertThat(env.get("SHOAL_CONTAINER_ID").getValue()).isEqualTo("ct-AbC123");
    assertThat(env.get("SHOAL_ARTIFACTS").getValue()).isEqualTo(HASH_A + "," + HASH_B);
    assertThat(env.get("SHOAL_CONTAINER_TOKEN").getValue()).isNull();
    var ref = env.get("SHOAL_CONTAINER_TOKEN").getValueFrom().getSecretKeyRef();
    assertThat(container.getEnv()).noneMatch(e -> "secret-token-of-ct-AbC123".equals(e.getValue()));

    Secret secret = client.secrets().inNamespace(NS).withName(ref.getName()).get();
    String token = secret.getData() != null && secret.getData().containsKey(ref.getKey())
        ? new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8)
        : secret.getStringData().get(ref.getKey());
    assertThat(token).isEqualTo("secret-token-of-ct-AbC123");
    assertThat(secret.getMetadata().getLabels()).containsEntry("shoal.dev/container", "ct-AbC123");
  }

  @Test
  void functionWithoutResourcesAsksForNone() {
    start("ct-plain", FunctionDefinition.newBuilder().setName("plain").build());

    var resources = pod("ct-plain").getSpec().getContainers().get(0).getResources();
    assertThat(resources.getRequests()).isEmpty();
    assertThat(resources.getLimits()).isEmpty();
    assertThat(pod("ct-plain").getSpec().getNodeSelector()).isNullOrEmpty();
  }

  @Test
  void gpuTypeSelectsNodesByTheConfiguredLabel() {
    backend.close();
    backend = new KubernetesBackend(client, new KubernetesOptions(NS, "registry.example/shoal-runtime:1",
        "shoal.shoal-test.svc:7700", 10, "shoal", "example.com/accelerator"));

    start("ct-h100", FunctionDefinition.newBuilder().setName("f").setGpu("H100").build());

    assertThat(pod("ct-h100").getSpec().getNodeSelector())
        .containsExactly(Map.entry("example.com/accelerator", "H100"));
    assertThat(pod("ct-h100").getSpec().getContainers().get(0).getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
  }

  @Test
  void emptyGpuLabelSelectsNoNodesByType() {
    backend.close();
    backend = new KubernetesBackend(client, new KubernetesOptions(NS, "registry.example/shoal-runtime:1",
        "shoal.shoal-test.svc:7700", 10, "shoal", ""));

    start("ct-any", FunctionDefinition.newBuilder().setName("f").setGpu("A10:2").build());

    assertThat(pod("ct-any").getSpec().getNodeSelector()).isNullOrEmpty();
    assertThat(pod("ct-any").getMetadata().getAnnotations()).containsEntry("shoal.dev/gpu", "A10:2");
  }

  @Test
  void oomKilledPodIsReportedAsACrashAndDeleted() {
    start("ct-oom", FunctionDefinition.newBuilder().setName("f").setMemoryMb(256).build());

    setFailed("ct-oom", "OOMKilled", 137);

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-oom"));
    assertThat(exits.get("ct-oom")).startsWith("137 ").contains("OOMKilled");
    assertThat(reasons.get("ct-oom"))
        .isEqualTo("OOMKilled (its memory limit is the function's memoryMb plus the launcher's share; raise memoryMb)");
    assertThat(causes.get("ct-oom")).isEqualTo(ContainerExit.Cause.OUT_OF_MEMORY);
    await().atMost(Duration.ofSeconds(10)).until(() -> pod("ct-oom") == null && collected("ct-oom"));
  }

  @Test
  void killDeletesThePodAndReportsTheExitOnce() {
    ContainerHandle handle = start("ct-kill", FunctionDefinition.newBuilder().setName("f").build());
    assertThat(handle.isAlive()).isTrue();

    handle.kill();
    handle.kill();

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-kill"));
    assertThat(pod("ct-kill")).isNull();
    assertThat(handle.isAlive()).isFalse();
    assertThat(exits.get("ct-kill")).startsWith("-1 ");
    assertThat(reasons.get("ct-kill")).as("the control plane logs why it killed a container").isEmpty();
    assertThat(causes.get("ct-kill")).isEqualTo(ContainerExit.Cause.STOPPED);
  }

  @Test
  void killDeletesThePodGracefullySoItsContainerGetsItsGrace() throws InterruptedException {
    ContainerHandle cls = start("ct-graceful", FunctionDefinition.newBuilder().setName("f").setCls("Model").build());
    start("ct-other", FunctionDefinition.newBuilder().setName("f").build());
    assertThat(pod("ct-graceful").getSpec().getTerminationGracePeriodSeconds()).isEqualTo(45);
    drainRequests();

    cls.kill(); // as the control plane ending a container
    backend.close(); // as a control plane stopping: every pod it still has is deleted

    List<String> deletions = podDeletions();
    assertThat(deletions).as("a deletion of each pod, or more").hasSizeGreaterThanOrEqualTo(2)
        .noneMatch(body -> body.contains("\"gracePeriodSeconds\":0"));
  }

  @Test
  void podStillThereAfterItsGraceRanOutIsDeletedByForceAndItsExitReported() throws InterruptedException {
    ContainerHandle handle = start("ct-lost", FunctionDefinition.newBuilder().setName("f").build());
    // A finalizer keeps the pod after its deletion, as a node that never confirms its end keeps it.
    client.pods().inNamespace(NS).withName(ContainerPods.podName("ct-lost"))
        .edit(p -> new PodBuilder(p).editMetadata().addToFinalizers("example.com/hold").endMetadata().build());
    drainRequests();

    handle.kill();
    await().atMost(Duration.ofSeconds(10)).until(() -> pod("ct-lost").getMetadata().getDeletionTimestamp() != null);
    assertThat(podDeletions()).singleElement().satisfies(body -> assertThat(body)
        .doesNotContain("\"gracePeriodSeconds\":0"));
    assertThat(exits).as("the pod is ending within its grace").doesNotContainKey("ct-lost");

    // Reconciliation reads the informer's cache, which hears of the deletion a moment after it was made.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      backend.reconcile(java.time.Instant.now());
      assertThat(exits).as("not forced within its grace").doesNotContainKey("ct-lost");
      backend.reconcile(java.time.Instant.now().plusSeconds(15 + KubernetesBackend.FORCE_AFTER_SECONDS + 60));
      assertThat(exits).containsKey("ct-lost");
    });

    assertThat(exits.get("ct-lost")).contains("did not end within its grace period").contains("by force");
    assertThat(causes.get("ct-lost")).isEqualTo(ContainerExit.Cause.STOPPED);
    assertThat(podDeletions()).anySatisfy(body -> assertThat(body).contains("\"gracePeriodSeconds\":0"));
  }

  /** Forgets the requests the mock API server has received so far. */
  private void drainRequests() throws InterruptedException {
    while (server.takeRequest(0, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
      // Only later requests count.
    }
  }

  /** The bodies of the pod deletions the mock API server received since it was last asked. */
  private List<String> podDeletions() throws InterruptedException {
    List<String> bodies = new java.util.ArrayList<>();
    for (var r = server.takeRequest(0, java.util.concurrent.TimeUnit.MILLISECONDS); r != null;
        r = server.takeRequest(0, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      if (r.getMethod().equals("DELETE") && r.getPath().contains("/pods/")) {
        bodies.add(r.getUtf8Body());
      }
    }
    return bodies;
  }

  @Test
  void disconnectedContainerWhosePodThenFailsIsReportedWithKubernetesReason() {
    ContainerHandle handle = start("ct-dis", FunctionDefinition.newBuilder().setName("f").build());

    handle.disconnected(); // as when the process dies: its connection drops before the kubelet reports why
    setFailed("ct-dis", "OOMKilled", 137);

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-dis"));
    assertThat(reasons.get("ct-dis")).startsWith("OOMKilled");
    await().atMost(Duration.ofSeconds(10)).until(() -> pod("ct-dis") == null);
  }

  @Test
  void disconnectedContainerWhosePodLingersIsDeletedAfterTheGrace() {
    ContainerHandle handle = start("ct-linger", FunctionDefinition.newBuilder().setName("f").build());

    handle.disconnected();

    assertThat(pod("ct-linger")).as("not deleted at once").isNotNull();
    await().atMost(Duration.ofSeconds(KubernetesBackend.DISCONNECTED_GRACE_SECONDS + 10))
        .until(() -> exits.containsKey("ct-linger"));
    assertThat(pod("ct-linger")).isNull();
    assertThat(handle.isAlive()).isFalse();
  }

  @Test
  void podDeletedBySomeoneElseIsAnExitNamingWhatItWaitedFor() {
    start("ct-gone", FunctionDefinition.newBuilder().setName("f").build());
    client.pods().inNamespace(NS).withName(ContainerPods.podName("ct-gone")).editStatus(p -> new PodBuilder(p)
        .withNewStatus().withPhase("Pending").withContainerStatuses(new ContainerStatusBuilder()
            .withName("runtime").withNewState().withNewWaiting().withReason("ContainerCreating")
            .withMessage("mounting volumes").endWaiting().endState().build()).endStatus().build());
    await().atMost(Duration.ofSeconds(10)).until(() -> pod("ct-gone").getStatus() != null);

    client.pods().inNamespace(NS).withName(ContainerPods.podName("ct-gone")).delete();

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-gone"));
    assertThat(exits.get("ct-gone")).contains("was deleted").contains("ContainerCreating: mounting volumes");
    assertThat(reasons.get("ct-gone")).contains("was deleted").contains("ContainerCreating");
    assertThat(causes.get("ct-gone")).as("deleted from outside").isEqualTo(ContainerExit.Cause.KILLED);
  }

  @Test
  void podWhoseImageCannotBePulledEndsItsStartWithKubernetesReason() {
    start("ct-backoff", FunctionDefinition.newBuilder().setName("f").build());
    start("ct-invalid", FunctionDefinition.newBuilder().setName("f").build());

    setWaiting("ct-backoff", "ImagePullBackOff", "Back-off pulling image \"registry.example/nope:1\"");
    setWaiting("ct-invalid", "InvalidImageName", "couldn't parse image name \"Registry/Bad\"");

    await().atMost(Duration.ofSeconds(10))
        .until(() -> exits.containsKey("ct-backoff") && exits.containsKey("ct-invalid"));
    assertThat(causes.get("ct-backoff")).as("counts against the function's start")
        .isEqualTo(ContainerExit.Cause.NOT_STARTED);
    assertThat(exits.get("ct-backoff")).contains("cannot pull its image")
        .contains("ImagePullBackOff: Back-off pulling image \"registry.example/nope:1\"");
    assertThat(exits.get("ct-invalid")).contains("InvalidImageName: couldn't parse image name");
    await().atMost(Duration.ofSeconds(10)).until(() -> pod("ct-backoff") == null && pod("ct-invalid") == null);
  }

  @Test
  void unschedulablePodEndsItsStartWithTheSchedulersReasonOnlyAfterTheScheduleTimeout() {
    start("ct-nonode", FunctionDefinition.newBuilder().setName("f").setGpu("H100:8").build());
    client.pods().inNamespace(NS).withName(ContainerPods.podName("ct-nonode")).editStatus(p -> new PodBuilder(p)
        .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.")
        .endCondition().endStatus().build());
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.informerHas(ContainerPods.podName("ct-nonode"),
        p -> p.getStatus() != null && "Pending".equals(p.getStatus().getPhase())));

    backend.reconcile(java.time.Instant.now());
    assertThat(exits).as("a cluster autoscaler may still add a node").doesNotContainKey("ct-nonode");
    backend.reconcile(java.time.Instant.now().plus(KubernetesOptions.DEFAULT_SCHEDULE_TIMEOUT).plusSeconds(1));

    assertThat(exits).containsKey("ct-nonode");
    assertThat(causes.get("ct-nonode")).isEqualTo(ContainerExit.Cause.NOT_STARTED);
    assertThat(exits.get("ct-nonode")).contains("found no node within the schedule timeout of 180 s")
        .contains("Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");
    await().atMost(Duration.ofSeconds(10)).until(() -> pod("ct-nonode") == null);
  }

  private void setWaiting(String containerId, String reason, String message) {
    client.pods().inNamespace(NS).withName(ContainerPods.podName(containerId)).editStatus(p -> new PodBuilder(p)
        .withNewStatus().withPhase("Pending").withContainerStatuses(new ContainerStatusBuilder()
            .withName("runtime").withNewState().withNewWaiting().withReason(reason).withMessage(message)
            .endWaiting().endState().build()).endStatus().build());
  }

  @Test
  void evictedPodIsReportedAsEvictedNotAsAFailureOfItsOwn() {
    start("ct-evicted", FunctionDefinition.newBuilder().setName("f").build());
    client.pods().inNamespace(NS).withName(ContainerPods.podName("ct-evicted")).editStatus(p -> new PodBuilder(p)
        .withNewStatus().withPhase("Failed").withReason("Evicted").withMessage("The node was low on resource: memory.")
        .endStatus().build());

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-evicted"));
    assertThat(causes.get("ct-evicted")).isEqualTo(ContainerExit.Cause.EVICTED);
    assertThat(reasons.get("ct-evicted")).startsWith("Evicted (The node was low on resource: memory.)");
  }

  @Test
  void podMarkedAsADisruptionTargetEndsItsContainerAtOnceAsEvicted() {
    start("ct-preempted", FunctionDefinition.newBuilder().setName("f").build());
    client.pods().inNamespace(NS).withName(ContainerPods.podName("ct-preempted")).editStatus(p -> new PodBuilder(p)
        .withNewStatus().withPhase("Running").addNewCondition().withType("DisruptionTarget").withStatus("True")
        .withReason("PreemptionByScheduler").withMessage("a higher-priority pod needs the node").endCondition()
        .endStatus().build());

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-preempted"));
    assertThat(causes.get("ct-preempted")).isEqualTo(ContainerExit.Cause.EVICTED);
    assertThat(reasons.get("ct-preempted")).contains("PreemptionByScheduler");
    await().atMost(Duration.ofSeconds(10)).until(() -> pod("ct-preempted") == null);
  }

  @Test
  void podBeingDeletedFromOutsideEndsItsContainerBeforeItsGracePeriodRunsOut() throws InterruptedException {
    start("ct-drained", FunctionDefinition.newBuilder().setName("f").build());
    // A finalizer keeps the pod, with its deletionTimestamp set, as a kubelet keeps one during its grace period.
    client.pods().inNamespace(NS).withName(ContainerPods.podName("ct-drained"))
        .edit(p -> new PodBuilder(p).editMetadata().addToFinalizers("example.com/hold").endMetadata().build());
    drainRequests();
    client.pods().inNamespace(NS).withName(ContainerPods.podName("ct-drained")).delete();

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-drained"));
    assertThat(causes.get("ct-drained")).isEqualTo(ContainerExit.Cause.EVICTED);
    assertThat(reasons.get("ct-drained")).contains("its pod is being deleted");
    // The drain's own deletion alone: the backend does not cut its grace period short.
    assertThat(podDeletions()).singleElement().satisfies(body -> assertThat(body)
        .doesNotContain("\"gracePeriodSeconds\":0"));
  }

  @Test
  void podWhoseRuntimeExitsWithAnErrorHasExitedByItselfAndOneKilledBySignalHasNot() {
    start("ct-own", FunctionDefinition.newBuilder().setName("f").build());
    start("ct-signal", FunctionDefinition.newBuilder().setName("f").build());

    setFailed("ct-own", "Error", 1);
    setFailed("ct-signal", "Error", 137);

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-own") && exits.containsKey("ct-signal"));
    assertThat(causes.get("ct-own")).isEqualTo(ContainerExit.Cause.EXITED);
    assertThat(exits.get("ct-own")).startsWith("1 ");
    assertThat(causes.get("ct-signal")).isEqualTo(ContainerExit.Cause.KILLED);
  }

  @Test
  void reconciliationDeletesOnlyThisInstancesPodsThatNoContainerOwns() {
    start("ct-live", FunctionDefinition.newBuilder().setName("f").build());
    // Left by an earlier life of this control plane, and by another control plane in the same namespace.
    ContainerSpec orphan = spec("ct-orphan", FunctionDefinition.newBuilder().setName("f").build());
    Pod orphanPod = client.pods().inNamespace(NS).resource(ContainerPods.pod(orphan, options("shoal"))).create();
    client.secrets().inNamespace(NS).resource(ContainerPods.tokenSecret(orphan, options("shoal"), orphanPod))
        .create();
    ContainerSpec other = spec("ct-other", FunctionDefinition.newBuilder().setName("f").build());
    client.pods().inNamespace(NS).resource(ContainerPods.pod(other, options("other"))).create();

    // Reconciliation reads the informer's cache, which hears of the orphan a moment after it was made.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      backend.reconcile();
      assertThat(pod("ct-orphan")).isNull();
    });

    await().atMost(Duration.ofSeconds(10)).until(() -> collected("ct-orphan"));
    assertThat(pod("ct-live")).isNotNull();
    assertThat(pod("ct-other")).isNotNull();
    assertThat(exits).isEmpty();
  }

  @Test
  void podIsMadeFirstThenItsImmutableSecretWhichThePodOwns() {
    start("ct-owned", FunctionDefinition.newBuilder().setName("f").build());

    Secret secret = secret("ct-owned");
    // The owner's uid exists only once the pod is made, so the secret came second.
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getKind()).isEqualTo("Pod");
      assertThat(owner.getName()).isEqualTo(ContainerPods.podName("ct-owned"));
      assertThat(owner.getUid()).isEqualTo(pod("ct-owned").getMetadata().getUid()).isNotBlank();
    });
    assertThat(secret.getImmutable()).isTrue();
  }

  @Test
  void reconciliationReadsTheInformersCacheRatherThanTheApiServer() {
    start("ct-cached", FunctionDefinition.newBuilder().setName("f").build());
    int before = server.getRequestCount();

    backend.reconcile();
    backend.reconcile();

    assertThat(server.getRequestCount()).isEqualTo(before);
    assertThat(pod("ct-cached")).isNotNull();
  }

  @Test
  void newBackendKeepsAnEarlierLifesRunningPodsForTheAdoptionWindowAndDeletesTheEndedAtOnce() {
    KubernetesClient itsClient = server.createClient();
    KubernetesBackend earlier = new KubernetesBackend(itsClient, options("shoal"));
    try {
      earlier.start(spec("ct-running", FunctionDefinition.newBuilder().setName("f").build()), (id, exit) -> { });
      earlier.start(spec("ct-ended", FunctionDefinition.newBuilder().setName("f").build()), (id, exit) -> { });
      await().atMost(Duration.ofSeconds(10)).until(() -> secret("ct-running") != null && secret("ct-ended") != null);
      setRunning("ct-running");
      itsClient.close(); // the earlier control plane is gone, as in a crash, and its pods run on
      setFailed("ct-ended", "Error", 2); // its container lost its control plane and ended

      backend.close();
      backend = new KubernetesBackend(client, options("shoal"));

      await().atMost(Duration.ofSeconds(10)).until(() -> pod("ct-ended") == null);
      backend.reconcile(java.time.Instant.now());
      assertThat(pod("ct-running")).as("kept for its container to reconnect").isNotNull();
      backend.reconcile(java.time.Instant.now().plusSeconds(KubernetesBackend.ADOPTION_WINDOW_SECONDS + 1));
      assertThat(pod("ct-running")).as("not adopted within the window").isNull();
    } finally {
      earlier.close();
    }
  }

  @Test
  void adoptedPodIsKeptPastTheWindowAndEndsAsAnyOther() {
    KubernetesClient itsClient = server.createClient();
    KubernetesBackend earlier = new KubernetesBackend(itsClient, options("shoal"));
    try {
      earlier.start(spec("ct-Adopted", FunctionDefinition.newBuilder().setName("f").build()), (id, exit) -> { });
      await().atMost(Duration.ofSeconds(10)).until(() -> pod("ct-Adopted") != null && secret("ct-Adopted") != null);
      setRunning("ct-Adopted");
      itsClient.close();
      backend.close();
      backend = new KubernetesBackend(client, options("shoal"));

      assertThat(backend.adopt("ct-unknown", (id, exit) -> { })).isEmpty();
      ContainerHandle adopted = backend.adopt("ct-Adopted", (id, exit) -> {
        causes.put(id, exit.cause());
        exits.put(id, exit.exitCode() + " " + exit.detail());
      }).orElseThrow();
      assertThat(backend.adopt("ct-Adopted", (id, exit) -> { })).as("adopted once").isEmpty();

      backend.reconcile(java.time.Instant.now().plusSeconds(KubernetesBackend.ADOPTION_WINDOW_SECONDS + 1));
      assertThat(pod("ct-Adopted")).as("owned by the new control plane now").isNotNull();
      assertThat(adopted.isAlive()).isTrue();

      adopted.kill();
      await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-Adopted"));
      assertThat(causes.get("ct-Adopted")).isEqualTo(ContainerExit.Cause.STOPPED);
      assertThat(pod("ct-Adopted")).isNull();
    } finally {
      earlier.close();
    }
  }

  private void setRunning(String containerId) {
    client.pods().inNamespace(NS).withName(ContainerPods.podName(containerId)).editStatus(p -> new PodBuilder(p)
        .withNewStatus().withPhase("Running").withContainerStatuses(new ContainerStatusBuilder()
            .withName("runtime").withNewState().withNewRunning().endRunning().endState().build())
        .endStatus().build());
  }

  @Test
  void localClasspathEndsTheContainerWithAClearReason() {
    ContainerSpec local = new ContainerSpec("ct-local", "t", "my-app", "com.example.Job",
        List.of("/home/me/app/target/classes"), FunctionDefinition.newBuilder().setName("f").build());

    backend.start(local, (id, exit) -> {
      causes.put(id, exit.cause());
      exits.put(id, exit.exitCode() + " " + exit.detail());
    });

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-local"));
    assertThat(exits.get("ct-local")).startsWith("-1 ").contains("can only load uploaded artifacts")
        .contains("/home/me/app/target/classes");
    assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(causes.get("ct-local")).isEqualTo(ContainerExit.Cause.NOT_STARTED);
  }

  @Test
  void badOptionsAreRefusedNamingTheRule() {
    assertThatThrownBy(() -> new KubernetesOptions("Shoal_NS", "img", "h:1", 1, "shoal"))
        .hasMessageContaining("namespace").hasMessageContaining("Shoal_NS");
    assertThatThrownBy(() -> new KubernetesOptions("ns", "img", "no-port", 1, "shoal"))
        .hasMessageContaining("HOST:PORT").hasMessageContaining("no-port");
    assertThatThrownBy(() -> new KubernetesOptions("ns", "img", "h:1", 0, "shoal"))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> new KubernetesOptions("ns", "img", "h:1", 1, "shoal", "gpu type"))
        .hasMessageContaining("GPU node label").hasMessageContaining("'gpu type'");
    assertThatThrownBy(() -> ContainerPods.gpuType("-A100:2")).hasMessageContaining("'-A100'");
  }

  @Test
  void labelValuesFitKubernetesRules() {
    assertThat(ContainerPods.labelValue("Model.embed")).isEqualTo("Model.embed");
    assertThat(ContainerPods.labelValue("_weird name$")).isEqualTo("weird-name");
    assertThat(ContainerPods.labelValue("x".repeat(80))).hasSize(63);
  }

  private void setFailed(String containerId, String reason, int exitCode) {
    client.pods().inNamespace(NS).withName(ContainerPods.podName(containerId)).editStatus(p -> new PodBuilder(p)
        .withNewStatus().withPhase("Failed").withContainerStatuses(new ContainerStatusBuilder()
            .withName("runtime").withNewState().withNewTerminated().withReason(reason).withExitCode(exitCode)
            .endTerminated().endState().build()).endStatus().build());
  }
}
