package dev.shoal.internal.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.protocol.v1.FunctionDefinition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pod spec of a container, as the backend sends it to the API server. */
class ContainerPodsTest {
  private static final KubernetesOptions OPTIONS = new KubernetesOptions("shoal", "registry.example/runtime:1",
      "shoal.shoal.svc:7700", 10, "shoal");
  private static final FunctionDefinition SMALL = FunctionDefinition.newBuilder().setName("f").setCpu(0.125)
      .setMemoryMb(128).build();

  @TempDir
  Path dir;

  private static ContainerSpec spec(FunctionDefinition function) {
    return new ContainerSpec("ct-1", "token", "app", "com.example.App", List.of("/a/" + "a".repeat(64) + ".jar"),
        function);
  }

  private static Container runtime(Pod pod) {
    return pod.getSpec().getContainers().stream().filter(c -> c.getName().equals("runtime")).findFirst()
        .orElseThrow();
  }

  private static Map<String, String> env(Container c) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }

  @Test
  void podsGraceCoversItsContainersGracefulStop() {
    FunctionDefinition cls = SMALL.toBuilder().setCls("Model").build();
    FunctionDefinition withVolume = SMALL.toBuilder()
        .addVolumes(dev.shoal.protocol.v1.VolumeMount.newBuilder().setName("data").build()).build();

    // A Cls instance's close() gets the 30 s Modal gives @exit, after 5 s for its running inputs.
    assertThat(ContainerPods.pod(spec(cls), OPTIONS).getSpec().getTerminationGracePeriodSeconds()).isEqualTo(45);
    assertThat(ContainerPods.pod(spec(withVolume), OPTIONS).getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(45);
    assertThat(ContainerPods.pod(spec(SMALL), OPTIONS).getSpec().getTerminationGracePeriodSeconds()).isEqualTo(15);
  }

  @Test
  void podsOfATlsControlPlaneGetItsCertificatesAndNameAndOfAPlaintextOneNeither() {
    Map<String, String> tls = dev.shoal.internal.client.ServerTrust.containerEnvironment(
        Optional.of("-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n"), Optional.of("shoal.example.com"));

    Map<String, String> env = env(runtime(ContainerPods.pod(spec(SMALL), OPTIONS.withTrustEnv(tls))));
    Map<String, String> plain = env(runtime(ContainerPods.pod(spec(SMALL), OPTIONS)));

    assertThat(env).containsEntry("SHOAL_TLS_CA_PEM", tls.get("SHOAL_TLS_CA_PEM"))
        .containsEntry("SHOAL_TLS_SERVER_NAME", "shoal.example.com").doesNotContainKey("SHOAL_TLS_CA");
    assertThat(plain).doesNotContainKeys("SHOAL_TLS_CA_PEM", "SHOAL_TLS_SERVER_NAME", "SHOAL_TLS_CA");
  }

  @Test
  void theFunctionsEnvironmentIsInTheContainersSecretAndThePodOnlyRefersToIt() {
    ContainerSpec spec = spec(SMALL.toBuilder().putEnv("DB_PASSWORD", "hunter2").putEnv("MODE", "fast").build());
    Pod pod = ContainerPods.pod(spec, OPTIONS);
    pod.getMetadata().setUid("uid-1");

    EnvVar password = runtime(pod).getEnv().stream().filter(e -> e.getName().equals("DB_PASSWORD")).findFirst()
        .orElseThrow();
    assertThat(password.getValue()).isNull();
    assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo(ContainerPods.secretName("ct-1"));
    assertThat(ContainerPods.tokenSecret(spec, OPTIONS, pod).getStringData())
        .containsEntry(password.getValueFrom().getSecretKeyRef().getKey(), "hunter2")
        .containsEntry("env.MODE", "fast").containsEntry(ContainerPods.TOKEN_KEY, "token");
    assertThat(runtime(pod).getEnv()).noneMatch(e -> "hunter2".equals(e.getValue()) || "fast".equals(e.getValue()));
  }

  @Test
  void memoryIsTheFunctionsPlusTheLaunchersRequestedAndLimitedWhileCpuIsOnlyRequested() {
    var resources = runtime(ContainerPods.pod(spec(SMALL), OPTIONS)).getResources();

    assertThat(resources.getRequests()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "cpu", new Quantity("125m"), "memory", new Quantity((128 + KubernetesOptions.DEFAULT_LAUNCHER_MEMORY_MB)
            + "Mi")));
    assertThat(resources.getLimits()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "memory", new Quantity("256Mi")));
  }

  @Test
  void cpuIsLimitedAtItsRequestWhenAskedAndTheLaunchersShareIsASetting() {
    KubernetesOptions options = OPTIONS.withCpuLimit(KubernetesOptions.CpuLimit.parse("request"))
        .withLauncherMemoryMb(200);

    var resources = runtime(ContainerPods.pod(spec(SMALL), options)).getResources();

    assertThat(resources.getLimits()).containsEntry("cpu", new Quantity("125m"))
        .containsEntry("memory", new Quantity("328Mi"));
    assertThatThrownBy(() -> KubernetesOptions.CpuLimit.parse("2"))
        .hasMessageContaining("none").hasMessageContaining("request").hasMessageContaining("'2'");
  }

  @Test
  void functionsHeapIsSizedFromItsOwnMemoryNotThePods() {
    Container plain = runtime(ContainerPods.pod(spec(SMALL.toBuilder().setMemoryMb(2048).build()), OPTIONS));
    Container withUsers = runtime(ContainerPods.pod(spec(SMALL.toBuilder().setMemoryMb(2048)
        .putEnv("JAVA_TOOL_OPTIONS", "-Dfoo=bar -XX:MaxRAM=64g").build()), OPTIONS));
    Container unsized = runtime(ContainerPods.pod(spec(FunctionDefinition.newBuilder().setName("f").build()),
        OPTIONS));

    // The runtime's launcher gives the function's JVM -XX:MaxRAMPercentage of what it takes for the memory.
    assertThat(env(plain)).containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAM=2048m");
    assertThat(withUsers.getEnv()).filteredOn(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).singleElement()
        .extracting(EnvVar::getValue).isEqualTo("-Dfoo=bar -XX:MaxRAM=64g -XX:MaxRAM=2048m");
    assertThat(env(unsized)).doesNotContainKey("JAVA_TOOL_OPTIONS");
  }

  @Test
  void userPodsPassTheRestrictedPodSecurityStandardWithARootFileSystemTheyCannotWrite() {
    Pod pod = ContainerPods.pod(spec(SMALL), OPTIONS);

    assertThat(RestrictedPodSecurity.violations(pod.getSpec())).isEmpty();
    assertThat(RestrictedPodSecurity.writableRootFileSystems(pod.getSpec())).isEmpty();
    // What the JVMs and the launcher write: java.io.tmpdir (volumes sync there too) and the artifact cache.
    assertThat(runtime(pod).getVolumeMounts()).extracting(m -> m.getMountPath())
        .containsExactlyInAnyOrder("/tmp", "/var/cache/shoal");
    assertThat(pod.getSpec().getVolumes()).allSatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  @Test
  void aTemplateCannotUndoTheRestrictedStandard() {
    Pod hostile = new PodBuilder()
        .withNewSpec()
        .withNewSecurityContext().withRunAsUser(0L).withRunAsNonRoot(false)
        .withNewSeccompProfile().withType("Unconfined").endSeccompProfile().endSecurityContext()
        .addNewContainer().withName("runtime").withNewSecurityContext().withPrivileged(true)
        .withAllowPrivilegeEscalation(true).withReadOnlyRootFilesystem(false)
        .withNewCapabilities().addToAdd("SYS_ADMIN").endCapabilities().endSecurityContext().endContainer()
        .addNewContainer().withName("sidecar").withImage("proxy:1").withNewSecurityContext().withRunAsUser(0L)
        .withNewSeccompProfile().withType("Unconfined").endSeccompProfile().endSecurityContext().endContainer()
        .addNewInitContainer().withName("setup").withImage("busybox:1").endInitContainer()
        .endSpec()
        .build();

    Pod pod = ContainerPods.pod(spec(SMALL), OPTIONS.withPodTemplate(hostile));

    assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("runtime", "sidecar");
    assertThat(RestrictedPodSecurity.violations(pod.getSpec())).isEmpty();
    assertThat(RestrictedPodSecurity.writableRootFileSystems(pod.getSpec())).isEmpty();
  }

  @Test
  void restrictedRulesCatchWhatTheStandardForbids() {
    Pod bad = new PodBuilder()
        .withNewSpec()
        .withHostNetwork(true)
        .addNewVolume().withName("host").withNewHostPath().withPath("/").endHostPath().endVolume()
        .addNewContainer().withName("app").withNewSecurityContext().withPrivileged(true).withRunAsUser(0L)
        .withNewCapabilities().addToAdd("NET_ADMIN").endCapabilities().endSecurityContext().endContainer()
        .addNewContainer().withName("bare").endContainer()
        .endSpec()
        .build();

    assertThat(RestrictedPodSecurity.violations(bad.getSpec())).anyMatch(v -> v.contains("host namespaces"))
        .anyMatch(v -> v.contains("volume host is of type hostPath"))
        .anyMatch(v -> v.contains("container app is privileged"))
        .anyMatch(v -> v.contains("container app: allowPrivilegeEscalation must be false"))
        .anyMatch(v -> v.contains("container app: runAsNonRoot must be true"))
        .anyMatch(v -> v.contains("container app: runAsUser must not be 0"))
        .anyMatch(v -> v.contains("container app: seccompProfile.type"))
        .anyMatch(v -> v.contains("container app: capabilities.drop must include ALL"))
        .anyMatch(v -> v.contains("NET_ADMIN"))
        .anyMatch(v -> v.contains("container bare has no securityContext"));
    assertThat(RestrictedPodSecurity.writableRootFileSystems(bad.getSpec())).hasSize(2);
  }

  @Test
  void podTemplateIsMergedUnderShoalsOwnFields() throws IOException {
    Path file = dir.resolve("template.yaml");
    Files.writeString(file, """
        apiVersion: v1
        kind: Pod
        metadata:
          name: ignored
          labels:
            team: search
            shoal.dev/app: not-this-one
          annotations:
            cluster-autoscaler.kubernetes.io/safe-to-evict: "false"
        spec:
          serviceAccountName: shoal-workloads
          priorityClassName: batch-low
          imagePullSecrets:
            - name: registry-credentials
          nodeSelector:
            pool: batch
          tolerations:
            - key: dedicated
              operator: Equal
              value: batch
              effect: NoSchedule
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - key: kubernetes.io/arch
                        operator: In
                        values: [amd64]
          terminationGracePeriodSeconds: 1
          containers:
            - name: runtime
              image: not-the-runtime
              args: ["--debug"]
              env:
                - name: HTTPS_PROXY
                  value: http://proxy:3128
                - name: SHOAL_CONTAINER_TARGET
                  value: elsewhere:1
              resources:
                limits:
                  cpu: "8"
                  ephemeral-storage: 10Gi
              volumeMounts:
                - name: ca
                  mountPath: /etc/ssl/custom
          volumes:
            - name: ca
              configMap:
                name: custom-ca
        """);

    Pod pod = ContainerPods.pod(spec(SMALL.toBuilder().setGpu("A100").build()),
        OPTIONS.withPodTemplate(PodTemplates.load(file)));

    assertThat(pod.getMetadata().getName()).isEqualTo("shoal-ct-1");
    assertThat(pod.getMetadata().getLabels()).containsEntry("team", "search").containsEntry("shoal.dev/app", "app");
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry("cluster-autoscaler.kubernetes.io/safe-to-evict", "false")
        .containsEntry("shoal.dev/gpu", "A100");
    var spec = pod.getSpec();
    assertThat(spec.getServiceAccountName()).isEqualTo("shoal-workloads");
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getPriorityClassName()).isEqualTo("batch-low");
    assertThat(spec.getImagePullSecrets()).singleElement().satisfies(s -> assertThat(s.getName())
        .isEqualTo("registry-credentials"));
    assertThat(spec.getNodeSelector()).containsEntry("pool", "batch")
        .containsEntry("nvidia.com/gpu.product", "A100");
    assertThat(spec.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(spec.getAffinity().getNodeAffinity()).isNotNull();
    assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(ContainerPods.STOP_GRACE_SECONDS);
    Container runtime = runtime(pod);
    assertThat(runtime.getImage()).isEqualTo("registry.example/runtime:1");
    assertThat(runtime.getArgs()).isEmpty();
    assertThat(env(runtime)).containsEntry("HTTPS_PROXY", "http://proxy:3128")
        .containsEntry("SHOAL_CONTAINER_TARGET", "shoal.shoal.svc:7700");
    assertThat(runtime.getResources().getLimits()).containsOnlyKeys("memory", "nvidia.com/gpu");
    assertThat(runtime.getVolumeMounts()).extracting(m -> m.getMountPath())
        .containsExactlyInAnyOrder("/etc/ssl/custom", "/tmp", "/var/cache/shoal");
    assertThat(spec.getVolumes()).extracting(Volume::getName).containsExactlyInAnyOrder("ca", "tmp", "artifacts");
    assertThat(RestrictedPodSecurity.violations(spec)).isEmpty();
  }

  @Test
  void podTemplatesThatCannotBeUsedAreRefusedNamingTheRule() throws IOException {
    Path deployment = Files.writeString(dir.resolve("deployment.yaml"), "apiVersion: apps/v1\nkind: Deployment\n");
    Path host = Files.writeString(dir.resolve("host.yaml"), "kind: Pod\nspec:\n  hostNetwork: true\n  volumes:\n"
        + "    - name: root\n      hostPath:\n        path: /\n");
    Path typo = Files.writeString(dir.resolve("typo.yaml"), "kind: Pod\nspec:\n  tolerationz: []\n");
    Path notYaml = Files.writeString(dir.resolve("broken.yaml"), "spec: [unclosed\n");

    assertThatThrownBy(() -> PodTemplates.load(deployment)).hasMessageContaining("kind: Pod")
        .hasMessageContaining("Deployment");
    assertThatThrownBy(() -> PodTemplates.load(host)).hasMessageContaining("hostNetwork")
        .hasMessageContaining("hostPath volume root").hasMessageContaining("restricted");
    assertThatThrownBy(() -> PodTemplates.load(typo)).hasMessageContaining("spec.tolerationz");
    assertThatThrownBy(() -> PodTemplates.load(notYaml)).hasMessageContaining(notYaml.toString())
        .hasMessageContaining("not a pod");
    assertThatThrownBy(() -> PodTemplates.load(dir.resolve("missing.yaml")))
        .hasMessageContaining("cannot read the pod template");
    assertThat(Optional.of(PodTemplates.load(Files.writeString(dir.resolve("json.json"),
        "{\"kind\":\"Pod\",\"spec\":{\"priorityClassName\":\"p\"}}"))).map(p -> p.getSpec().getPriorityClassName()))
        .contains("p");
  }
}
