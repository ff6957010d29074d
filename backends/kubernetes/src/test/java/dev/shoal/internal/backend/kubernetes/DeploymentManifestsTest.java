package dev.shoal.internal.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests in deploy/kubernetes, rendered as {@code kubectl kustomize} renders them ({@link Kustomization}),
 * load with the Kubernetes client, apply to the mock API server, and are ready for a production cluster.
 */
@EnableKubernetesMockClient(crud = true)
class DeploymentManifestsTest {
  private static final Path DIR = Path.of("..", "..", "deploy", "kubernetes");

  KubernetesClient client;
  private final List<HasMetadata> objects = new ArrayList<>();

  @BeforeEach
  void load() throws IOException {
    objects.addAll(Kustomization.render(client, DIR));
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
        "--volume-store=$(SHOAL_VOLUME_STORE)");
    // Beside the data directory, the /tmp that a read-only root file system needs, and the token's Secret.
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactlyInAnyOrder("data", "tmp", "token");
    assertThat(pod.getVolumes()).filteredOn(v -> !v.getName().equals("token"))
        .allSatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(objects).noneMatch(o -> o.getKind().equals("PersistentVolumeClaim"));
  }

  @Test
  void controlPlaneMayTouchOnlyPodsAndSecretsInItsNamespace() {
    Role role = one(Role.class, "shoal-control-plane");
    assertThat(role.getMetadata().getNamespace()).isEqualTo("shoal");
    Set<String> resources = role.getRules().stream().filter(r -> r.getApiGroups().equals(List.of("")))
        .flatMap(r -> r.getResources().stream()).collect(Collectors.toSet());
    assertThat(resources).containsExactlyInAnyOrder("pods", "pods/log", "secrets");
    // Only read the workloads, to find the Deployment that owns container pods.
    assertThat(role.getRules()).filteredOn(r -> !r.getApiGroups().equals(List.of(""))).singleElement()
        .satisfies((PolicyRule r) -> {
          assertThat(r.getApiGroups()).containsExactly("apps");
          assertThat(r.getResources()).containsExactlyInAnyOrder("replicasets", "deployments");
          assertThat(r.getVerbs()).containsExactly("get");
        });
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
    assertThat(secretRefs).containsExactlyInAnyOrder("shoal-postgres");
    // No secret in the arguments, which /proc/*/cmdline shows to every process of the node: the database's login
    // in the environment, the token in a mounted file.
    assertThat(container.getArgs()).noneMatch(a -> a.startsWith("--token=") || a.startsWith("--database-url"));
    assertThat(container.getEnv()).extracting(e -> e.getName())
        .contains("SHOAL_DATABASE_URL", "SHOAL_DATABASE_USER", "SHOAL_DATABASE_PASSWORD");
    assertThat(container.getArgs()).contains("--token-file=/etc/shoal/token/token");
    var tokenVolume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals("token")).findFirst().orElseThrow();
    assertThat(tokenVolume.getSecret().getSecretName()).isEqualTo("shoal-token");
    assertThat(container.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getName()).isEqualTo("token");
      assertThat(m.getMountPath()).isEqualTo("/etc/shoal/token");
    });
    one(io.fabric8.kubernetes.api.model.Secret.class, "shoal-token");
    // Ready only after recovery, as the server's /readyz says.
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    for (String secret : secretRefs) {
      one(io.fabric8.kubernetes.api.model.Secret.class, secret);
    }
    one(io.fabric8.kubernetes.api.model.Secret.class, "shoal-s3");
    one(io.fabric8.kubernetes.api.model.ConfigMap.class, configMapOf(deployment));

    Service service = one(Service.class, "shoal");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(7700));
  }

  /** The name of the ConfigMap the control plane takes its environment from. */
  private static String configMapOf(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().stream()
        .filter(e -> e.getConfigMapRef() != null).map(e -> e.getConfigMapRef().getName()).findFirst()
        .orElseThrow();
  }

  @Test
  void controlPlanePassesTheRestrictedPodSecurityStandardInANamespaceThatEnforcesIt() {
    var pod = one(Deployment.class, "shoal").getSpec().getTemplate().getSpec();

    assertThat(RestrictedPodSecurity.violations(pod)).isEmpty();
    assertThat(RestrictedPodSecurity.writableRootFileSystems(pod)).isEmpty();
    assertThat(one(Namespace.class, "shoal").getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  @Test
  void changedConfigurationRenamesItsConfigMapSoThePodRolls(@TempDir Path copy) throws IOException {
    copyTree(DIR, copy);
    Files.writeString(copy.resolve("config.env"), Files.readString(copy.resolve("config.env"))
        .replace("SHOAL_MAX_CONTAINERS=64", "SHOAL_MAX_CONTAINERS=128"));

    List<HasMetadata> changed = Kustomization.render(client, copy);

    String before = configMapOf(one(Deployment.class, "shoal"));
    String after = configMapOf(changed.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .findFirst().orElseThrow());
    assertThat(before).startsWith("shoal-config-");
    assertThat(after).startsWith("shoal-config-").isNotEqualTo(before);
    assertThat(changed).filteredOn(o -> o.getMetadata().getName().equals(after)).singleElement()
        .satisfies(m -> assertThat(((ConfigMap) m).getData()).containsEntry("SHOAL_MAX_CONTAINERS", "128"));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  @Test
  void bothImagesAreReferencedByDigest() {
    Deployment deployment = one(Deployment.class, "shoal");
    String digest = ".+@sha256:[0-9a-f]{64}";

    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).matches(digest)
        .startsWith("registry.example.com/shoal/server@");
    assertThat(one(ConfigMap.class, configMapOf(deployment)).getData().get("SHOAL_RUNTIME_IMAGE")).matches(digest)
        .startsWith("registry.example.com/shoal/runtime@");
  }

  @Test
  void containerPodsMayReachOnlyTheControlPlaneAndDns() {
    NetworkPolicy policy = one(NetworkPolicy.class, "shoal-containers");
    Map<String, String> containerPod = ContainerPods.labels(new dev.shoal.internal.controlplane.backend
        .ContainerSpec("ct-1", "t", "app", "App", List.of(), dev.shoal.protocol.v1.FunctionDefinition.newBuilder()
        .setName("f").build()), new KubernetesOptions("shoal", "i", "h:1", 1, "shoal"));
    Map<String, String> controlPlane = one(Deployment.class, "shoal").getSpec().getTemplate().getMetadata()
        .getLabels();

    assertThat(selects(policy.getSpec().getPodSelector(), containerPod)).isTrue();
    assertThat(selects(policy.getSpec().getPodSelector(), controlPlane)).isFalse();
    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).isEmpty();
    var egress = policy.getSpec().getEgress();
    // No ipBlock anywhere: every address that is not one of these pods, the metadata address among them, is denied.
    assertThat(egress).flatExtracting(r -> r.getTo()).allSatisfy(peer -> assertThat(peer.getIpBlock()).isNull());
    assertThat(egress).hasSize(2);
    assertThat(egress.get(0).getTo()).singleElement().satisfies(peer -> {
      assertThat(selects(peer.getPodSelector(), controlPlane)).isTrue();
      assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "shoal");
    });
    assertThat(egress.get(0).getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal())
        .isEqualTo(7700));
    assertThat(egress.get(1).getTo()).singleElement().satisfies(peer -> assertThat(peer.getPodSelector()
        .getMatchLabels()).containsExactly(Map.entry("k8s-app", "kube-dns")));
    assertThat(egress.get(1).getPorts()).allSatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(53));
  }

  /** Whether a label selector of matchLabels and Exists expressions selects a pod with these labels. */
  private static boolean selects(LabelSelector selector, Map<String, String> labels) {
    boolean matches = labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    for (var e : selector.getMatchExpressions()) {
      assertThat(e.getOperator()).isEqualTo("Exists");
      matches &= labels.containsKey(e.getKey());
    }
    return matches;
  }

  @Test
  void controlPlaneHasADisruptionBudgetAndTimeForAGracefulStop() {
    Deployment deployment = one(Deployment.class, "shoal");
    PodDisruptionBudget budget = one(PodDisruptionBudget.class, "shoal");

    assertThat(selects(budget.getSpec().getSelector(), deployment.getSpec().getTemplate().getMetadata()
        .getLabels())).isTrue();
    assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    // A Cls container's stop (40 s: inputs, volume commits, close()) and the control plane's wait after it.
    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isGreaterThanOrEqualTo(ContainerPods.SLOW_STOP_GRACE_SECONDS + 12 + 30);
  }

  @Test
  void metricsPortIsDeclaredAndScrapeable() {
    var template = one(Deployment.class, "shoal").getSpec().getTemplate();
    var server = template.getSpec().getContainers().get(0);

    assertThat(server.getArgs()).contains("--http-port=7701");
    assertThat(server.getPorts()).anySatisfy(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getContainerPort()).isEqualTo(7701);
    });
    assertThat(template.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "7701").containsEntry("prometheus.io/path", "/metrics");
  }
}
