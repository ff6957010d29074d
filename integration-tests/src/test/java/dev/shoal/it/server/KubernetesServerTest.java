package dev.shoal.it.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.it.apps.PodServerApp;
import dev.shoal.internal.server.KubernetesSettings;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shoal server --backend kubernetes} against the mock API server: the server finds the cluster through a
 * kubeconfig, deletes what an earlier life left, and makes a deployed app's warm container a pod whose
 * artifacts the server holds.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesServerTest {
  private static final String TOKEN = "k8s-test-token-0123456789";
  private static final String NS = "shoal-it";
  private static final Duration WAIT = Duration.ofSeconds(60);

  KubernetesClient client;
  @TempDir
  Path dataDir;

  private Path kubeconfig() throws IOException {
    return writeMockKubeconfig(dataDir.resolve("kubeconfig"), client.getConfiguration().getMasterUrl(), NS);
  }

  /** A kubeconfig that points at the mock API server {@code masterUrl}, with {@code namespace} as the default. */
  static Path writeMockKubeconfig(Path file, String masterUrl, String namespace) throws IOException {
    return Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        contexts:
        - name: mock
          context: {cluster: mock, user: test, namespace: %s}
        current-context: mock
        users:
        - name: test
          user: {token: mock-token}
        """.formatted(masterUrl, namespace));
  }

  private List<Pod> pods(String app) {
    return client.pods().inNamespace(NS).withLabel("shoal.dev/app", app).list().getItems();
  }

  @Test
  void deployedAppsWarmContainerIsAPodAndNoOrphanSurvivesAStart() throws IOException {
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("shoal-ct-left-behind")
        .addToLabels("shoal.dev/instance", "shoal").addToLabels("shoal.dev/app", "old")
        .addToLabels("shoal.dev/container", "ct-left-behind").endMetadata()
        .withNewSpec().addNewContainer().withName("runtime").withImage("old").endContainer().endSpec().build())
        .create();
    // Another control plane's pod, as a laptop's server beside the cluster's would see it.
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("shoal-ct-someone-elses")
        .addToLabels("shoal.dev/instance", "shoal-elsewhere").addToLabels("shoal.dev/app", "elsewhere")
        .addToLabels("shoal.dev/container", "ct-someone-elses").endMetadata()
        .withNewSpec().addNewContainer().withName("runtime").withImage("old").endContainer().endSpec().build())
        .create();

    ShoalServer server = ShoalServer.start(ServerOptions.defaults(dataDir).withPort(0).withToken(TOKEN)
        .withKubernetes(KubernetesSettings.of("registry.example/shoal-runtime:1").withKubeconfig(kubeconfig())
            .withInstance("shoal")));
    try {
      assertThat(pods("old")).isEmpty();
      assertThat(pods("elsewhere")).hasSize(1);
      System.setProperty("shoal.server", server.address());
      System.setProperty("shoal.token", TOKEN);
      PodServerApp.app.deploy();

      await().atMost(WAIT).until(() -> pods("pod-server").size() == 1);
      Pod pod = pods("pod-server").get(0);
      var container = pod.getSpec().getContainers().get(0);
      assertThat(container.getImage()).isEqualTo("registry.example/shoal-runtime:1");
      // The function's cpu is requested, not limited; its memory and the launcher's are requested and limited.
      assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("500m"))
          .containsEntry("memory", new Quantity("640Mi"));
      assertThat(container.getResources().getLimits()).containsOnlyKeys("memory");
      String artifacts = container.getEnv().stream().filter(e -> e.getName().equals("SHOAL_ARTIFACTS"))
          .map(EnvVar::getValue).findFirst().orElseThrow();
      assertThat(artifacts.split(",")).isNotEmpty()
          .allSatisfy(hash -> assertThat(dataDir.resolve("artifacts").resolve(hash + ".jar")).isRegularFile());
      assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("SHOAL_CONTAINER_TARGET"))
          .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("shoal." + NS + ".svc:" + server.port()));
    } finally {
      System.clearProperty("shoal.server");
      System.clearProperty("shoal.token");
      server.close();
    }
    // A graceful stop hands the pods over to the server's next life rather than deleting them.
    assertThat(pods("pod-server")).singleElement()
        .satisfies(p -> assertThat(p.getMetadata().getDeletionTimestamp()).isNull());
  }

  @Test
  void serverFlagsGiveEveryPodTheTemplateAndTheCpuLimit() throws IOException {
    Path template = dataDir.resolve("pod-template.yaml");
    Files.writeString(template, """
        apiVersion: v1
        kind: Pod
        metadata:
          labels:
            team: search
        spec:
          priorityClassName: batch-low
          imagePullSecrets:
            - name: registry-credentials
          tolerations:
            - key: dedicated
              operator: Exists
        """);
    ServerOptions options = ServerOptions.defaults(dataDir).withPort(0).withToken(TOKEN).withBackend(
        "kubernetes", "registry.example/shoal-runtime:1", null, kubeconfig().toString(), null, null, "request",
        "200", template.toString());

    ShoalServer server = ShoalServer.start(options);
    try {
      System.setProperty("shoal.server", server.address());
      System.setProperty("shoal.token", TOKEN);
      PodServerApp.app.deploy();

      await().atMost(WAIT).until(() -> pods("pod-server").size() == 1);
      Pod pod = pods("pod-server").get(0);
      assertThat(pod.getMetadata().getLabels()).containsEntry("team", "search");
      assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("batch-low");
      assertThat(pod.getSpec().getImagePullSecrets()).extracting(s -> s.getName())
          .containsExactly("registry-credentials");
      assertThat(pod.getSpec().getTolerations()).extracting(t -> t.getKey()).containsExactly("dedicated");
      assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
          .containsEntry("cpu", new Quantity("500m")).containsEntry("memory", new Quantity("712Mi"));
    } finally {
      System.clearProperty("shoal.server");
      System.clearProperty("shoal.token");
      server.close();
    }
  }

  @Test
  void podTemplateThatCannotBeUsedStopsTheServerBeforeItStarts() throws IOException {
    Path template = Files.writeString(dataDir.resolve("host.yaml"), "kind: Pod\nspec:\n  hostNetwork: true\n");

    assertThatThrownBy(() -> ServerOptions.defaults(dataDir).withBackend("kubernetes", "img", null, null,
        null, null, null, null, template.toString()))
        .hasMessageContaining("hostNetwork").hasMessageContaining("restricted");
    assertThatThrownBy(() -> ServerOptions.defaults(dataDir).withBackend("kubernetes", "img", null, null,
        null, null, "2", null, null)).hasMessageContaining("none").hasMessageContaining("request");
    assertThatThrownBy(() -> ServerOptions.defaults(dataDir).withBackend("local", null, null, null,
        null, null, null, null, template.toString())).hasMessageContaining("--kube-pod-template");
  }
}
