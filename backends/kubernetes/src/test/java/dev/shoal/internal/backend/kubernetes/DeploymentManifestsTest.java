package dev.shoal.internal.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The manifests in deploy/kubernetes load with the Kubernetes client and apply to the mock API server. */
@EnableKubernetesMockClient(crud = true)
class DeploymentManifestsTest {
  private static final Path DIR = Path.of("..", "..", "deploy", "kubernetes");

  KubernetesClient client;
  private final List<HasMetadata> objects = new ArrayList<>();

  @BeforeEach
  void load() throws IOException {
    for (Path file : manifestFiles()) {
      try (InputStream in = Files.newInputStream(file)) {
        objects.addAll(client.load(in).items());
      }
    }
  }

  private static List<Path> manifestFiles() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".yaml"))
          .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
          .sorted().toList();
    }
  }

  private <T extends HasMetadata> T one(Class<T> type, String name) {
    return objects.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + DIR));
  }

  @Test
  void kustomizationListsEveryManifest() throws IOException {
    Map<?, ?> kustomization = client.getKubernetesSerialization()
        .unmarshal(Files.readString(DIR.resolve("kustomization.yaml")), Map.class);
    Set<String> listed = ((List<?>) kustomization.get("resources")).stream().map(String::valueOf)
        .collect(Collectors.toSet());
    Set<String> present = manifestFiles().stream().map(f -> f.getFileName().toString()).collect(Collectors.toSet());
    assertThat(listed).isEqualTo(present);
  }

  @Test
  void everyManifestAppliesToTheApiServer() {
    assertThat(objects).hasSizeGreaterThanOrEqualTo(10);
    for (HasMetadata object : objects) {
      client.resource(object).createOr(NonDeletingOperation::update);
    }
    for (HasMetadata object : objects) {
      assertThat(client.resource(object).get()).as(object.getKind() + " " + object.getMetadata().getName())
          .isNotNull();
    }
    assertThat(client.apps().deployments().inNamespace("shoal").withName("shoal").get().getSpec()
        .getTemplate().getSpec().getServiceAccountName()).isEqualTo("shoal-control-plane");
  }

  @Test
  void controlPlaneNeedsNoPersistentVolume() {
    // State is in PostgreSQL, volumes and artifacts in the S3 volume store: the data directory is only a cache.
    Deployment deployment = one(Deployment.class, "shoal");
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getArgs()).contains("--data-dir=/var/lib/shoal",
        "--database-url=$(DATABASE_URL)", "--volume-store=$(SHOAL_VOLUME_STORE)");
    assertThat(pod.getVolumes()).singleElement().satisfies(v -> {
      assertThat(v.getName()).isEqualTo("data");
      assertThat(v.getEmptyDir()).isNotNull();
    });
    assertThat(objects).noneMatch(o -> o.getKind().equals("PersistentVolumeClaim"));
  }

  @Test
  void controlPlaneMayTouchOnlyPodsAndSecretsInItsNamespace() {
    Role role = one(Role.class, "shoal-control-plane");
    assertThat(role.getMetadata().getNamespace()).isEqualTo("shoal");
    Set<String> resources = role.getRules().stream().flatMap(r -> r.getResources().stream())
        .collect(Collectors.toSet());
    assertThat(resources).containsExactlyInAnyOrder("pods", "pods/log", "secrets");
    assertThat(role.getRules()).allSatisfy((PolicyRule r) -> assertThat(r.getApiGroups()).containsExactly(""));
    assertThat(objects).noneMatch(o -> o.getKind().equals("ClusterRole") || o.getKind().equals("ClusterRoleBinding"));
    RoleBinding binding = one(RoleBinding.class, "shoal-control-plane");
    assertThat(binding.getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("shoal-control-plane"));
  }

  @Test
  void serverRunsTheKubernetesBackendWithSecretsFromSecrets() {
    Deployment deployment = one(Deployment.class, "shoal");
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getArgs()).contains("server", "--backend=kubernetes", "--host=0.0.0.0",
        "--kube-image=$(SHOAL_RUNTIME_IMAGE)");
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    Set<String> secretRefs = container.getEnv().stream()
        .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
        .map(e -> e.getValueFrom().getSecretKeyRef().getName()).collect(Collectors.toSet());
    assertThat(secretRefs).containsExactlyInAnyOrder("shoal-postgres", "shoal-token");
    for (String secret : secretRefs) {
      one(io.fabric8.kubernetes.api.model.Secret.class, secret);
    }
    one(io.fabric8.kubernetes.api.model.Secret.class, "shoal-s3");
    one(io.fabric8.kubernetes.api.model.ConfigMap.class, "shoal-config");

    Service service = one(Service.class, "shoal");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(7700));
  }
}
