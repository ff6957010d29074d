package dev.shoal.internal.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.internal.store.memory.MemoryStore;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.ResultStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend against a real cluster: runs only where a kubeconfig is present ({@code KUBECONFIG} or
 * {@code ~/.kube/config}), and is skipped elsewhere, where the mock API server tests stand for it.
 *
 * <p>{@code SHOAL_K8S_E2E_NAMESPACE} names the namespace to use (default {@code default}). The whole-app test also
 * needs {@code SHOAL_K8S_E2E_RUNTIME_IMAGE}, a runtime image the cluster can pull (deploy/docker/runtime.Dockerfile),
 * and {@code SHOAL_K8S_E2E_ADVERTISE}, the host or address at which the cluster's pods reach this machine.
 */
class RealClusterTest {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private KubernetesClient client;
  private String namespace;

  @TempDir
  Path work;

  @BeforeEach
  void connect() {
    Optional<Path> kubeconfig = Optional.ofNullable(System.getenv("KUBECONFIG"))
        .filter(s -> !s.isBlank()).map(s -> Path.of(s.split(java.io.File.pathSeparator)[0]))
        .or(() -> Optional.of(Path.of(System.getProperty("user.home"), ".kube", "config")))
        .filter(Files::isRegularFile);
    assumeTrue(kubeconfig.isPresent(), "no kubeconfig: the real-cluster tests are skipped");
    client = new KubernetesClientBuilder().build();
    namespace = Optional.ofNullable(System.getenv("SHOAL_K8S_E2E_NAMESPACE")).orElse("default");
  }

  @AfterEach
  void disconnect() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void podRunsToTheEndAndIsDeletedWithItsSecret() {
    // An image whose entry point exits at once: the pod runs, succeeds, and is reported and deleted.
    String image = Optional.ofNullable(System.getenv("SHOAL_K8S_E2E_PROBE_IMAGE")).orElse("busybox:1.36");
    Map<String, String> exits = new ConcurrentHashMap<>();
    KubernetesBackend backend = new KubernetesBackend(client,
        new KubernetesOptions(namespace, image, "shoal.invalid:7700", 2, "shoal-e2e"));
    try {
      String id = "ct-e2e" + Long.toString(System.nanoTime(), 36);
      backend.start(new ContainerSpec(id, "e2e-token", "e2e", "Main", List.of(
              "/artifacts/" + "0".repeat(64) + ".jar"), FunctionDefinition.newBuilder().setName("probe")
              .setCpu(0.1).setMemoryMb(64).build()),
          (containerId, exit) -> exits.put(containerId, exit.exitCode() + " " + exit.detail()));

      await().atMost(WAIT).until(() -> exits.containsKey(id));
      assertThat(exits.get(id)).startsWith("0 ");
      await().atMost(WAIT).until(() ->
          client.pods().inNamespace(namespace).withName(ContainerPods.podName(id)).get() == null
              && client.secrets().inNamespace(namespace).withName(ContainerPods.secretName(id)).get() == null);
    } finally {
      backend.close();
    }
  }

  /**
   * The API server's own PodSecurity admission accepts a container pod in a namespace that enforces the
   * "restricted" standard, where {@link RestrictedPodSecurity} stands for it elsewhere. Needs the right to create
   * and delete namespaces; the pod is only a server-side dry run.
   */
  @Test
  void restrictedNamespaceAdmitsContainerPods() {
    String name = "shoal-e2e-restricted-" + Long.toString(System.nanoTime(), 36);
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(name).addToLabels("pod-security.kubernetes.io/enforce", "restricted")
        .addToLabels("pod-security.kubernetes.io/enforce-version", "latest").endMetadata().build()).create();
    try {
      var pod = ContainerPods.pod(new ContainerSpec("ct-e2e", "t", "e2e", "Main",
          List.of("/artifacts/" + "0".repeat(64) + ".jar"), FunctionDefinition.newBuilder().setName("probe")
          .setCpu(0.1).setMemoryMb(64).build()), new KubernetesOptions(name, "busybox:1.36", "shoal.invalid:7700",
          1, "shoal-e2e"));

      var admitted = client.pods().inNamespace(name).resource(pod).dryRun().create();

      assertThat(admitted.getMetadata().getName()).isEqualTo(pod.getMetadata().getName());
    } finally {
      client.namespaces().withName(name).delete();
    }
  }

  @Test
  void functionRunsInAPodOfTheRuntimeImage() throws Exception {
    String image = System.getenv("SHOAL_K8S_E2E_RUNTIME_IMAGE");
    String advertise = System.getenv("SHOAL_K8S_E2E_ADVERTISE");
    assumeTrue(image != null && advertise != null,
        "SHOAL_K8S_E2E_RUNTIME_IMAGE and SHOAL_K8S_E2E_ADVERTISE are not both set");
    PodApp.echo.name();
    try (PodCluster cluster = new PodCluster(client, new MemoryStore(), work.resolve("artifacts"), 2, namespace,
        image, advertise)) {
      var app = cluster.startApp(f -> f);
      CallResponse response = cluster.call(app, "echo", "cluster").get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(response.getResult().getStatus()).isEqualTo(ResultStatus.SUCCESS);
      assertThat(PodCluster.value(response)).startsWith("cluster@ct-");
      cluster.controlPlane.stopApp(app.getAppId());
    }
    await().atMost(WAIT).until(() ->
        client.pods().inNamespace(namespace).withLabel(ContainerPods.INSTANCE, "shoal").list().getItems().isEmpty());
  }
}
