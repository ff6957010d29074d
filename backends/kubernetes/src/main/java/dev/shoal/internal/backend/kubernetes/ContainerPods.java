package dev.shoal.internal.backend.kubernetes;

import dev.shoal.internal.controlplane.ArtifactStore;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.internal.runtime.ContainerMain;
import dev.shoal.internal.runtime.RemoteContainerMain;
import dev.shoal.protocol.v1.FunctionDefinition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Kubernetes objects of one container: a pod that runs the generic runtime image, and a secret that holds
 * the container's token. The token reaches the pod through a secret reference, so it appears in no pod spec
 * that {@code kubectl get pod -o yaml} or an audit log would show.
 */
final class ContainerPods {
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String MANAGER = "shoal";
  static final String INSTANCE = "shoal.dev/instance";
  static final String APP = "shoal.dev/app";
  static final String FUNCTION = "shoal.dev/function";
  static final String CONTAINER = "shoal.dev/container";
  /** The full function name and GPU request, which a label value may not be able to hold. */
  static final String FUNCTION_ANNOTATION = "shoal.dev/function-name";
  static final String GPU_ANNOTATION = "shoal.dev/gpu";
  static final String GPU_RESOURCE = "nvidia.com/gpu";
  static final String TOKEN_KEY = "token";
  /** The prefix of the keys of the container's secret that hold the function's environment. */
  static final String ENV_KEY_PREFIX = "env.";
  static final String RUNTIME_CONTAINER = "runtime";
  static final String CACHE_MOUNT = "/var/cache/shoal";
  static final String CACHE_VOLUME = "artifacts";
  static final String TMP_MOUNT = "/tmp";
  static final String TMP_VOLUME = "tmp";
  static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
  /** Which container {@code kubectl logs} and {@code kubectl exec} pick when a template adds sidecars. */
  static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";
  /**
   * The grace of a pod whose container runs a Cls instance's close() or commits volumes as it stops: the runtime
   * bounds that stop at 40 s (its running inputs get 5 s, close() the 30 s Modal gives {@code @exit}, then the
   * commit and its last logs), as the control plane's own stop grace for such a pool does; 5 s more for the JVM
   * and the launcher to exit.
   */
  static final long SLOW_STOP_GRACE_SECONDS = 45;
  /**
   * The grace of any other pod: its running inputs get 5 s and its last log lines 2 s, within the control plane's
   * 10 s stop grace; 5 s more for the JVMs to exit.
   */
  static final long STOP_GRACE_SECONDS = 15;
  /** The user the runtime image runs as; see deploy/docker/runtime.Dockerfile. */
  static final long RUNTIME_USER = 10001;
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  private ContainerPods() {}

  static String podName(String containerId) {
    // Container ids mix cases; object names may not. The 22 random digits keep them apart even folded.
    return "shoal-" + containerId.toLowerCase(Locale.ROOT);
  }

  static String secretName(String containerId) {
    return podName(containerId) + "-token";
  }

  static Map<String, String> labels(ContainerSpec spec, KubernetesOptions options) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, MANAGER);
    labels.put(INSTANCE, options.instance());
    labels.put(APP, labelValue(spec.appName()));
    labels.put(FUNCTION, labelValue(spec.function().getName()));
    labels.put(CONTAINER, spec.containerId());
    return labels;
  }

  /**
   * A name as a label value: at most 63 characters of {@code [A-Za-z0-9._-]}, starting and ending alphanumeric.
   * Function names are Java-like and usually fit as they are; the exact name is also kept in an annotation.
   */
  static String labelValue(String name) {
    String value = name.replaceAll("[^A-Za-z0-9._-]", "-");
    if (value.length() > 63) {
      value = value.substring(0, 63);
    }
    value = value.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    return value.isEmpty() ? "unnamed" : value;
  }

  /**
   * The secret of a container's token, owned by its pod, so that Kubernetes deletes it with the pod, even once the
   * control plane is gone. Immutable: nobody changes a token, and the kubelet then need not watch it.
   */
  static Secret tokenSecret(ContainerSpec spec, KubernetesOptions options, Pod owner) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(secretName(spec.containerId()))
        .withNamespace(options.namespace())
        .withLabels(labels(spec, options))
        .addNewOwnerReference()
        .withApiVersion("v1")
        .withKind("Pod")
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .endOwnerReference()
        .endMetadata()
        .withType("Opaque")
        .withImmutable(true)
        .withStringData(secretData(spec))
        .build();
  }

  /**
   * What the container's secret holds: its token, and the function's environment, which carries the values of its
   * named secrets; the pod refers to each by {@code secretKeyRef}, so that no value is in the pod spec, which anyone
   * who may list pods can read.
   */
  private static Map<String, String> secretData(ContainerSpec spec) {
    Map<String, String> data = new java.util.TreeMap<>();
    data.put(TOKEN_KEY, spec.token());
    spec.function().getEnvMap().forEach((name, value) -> {
      if (isUsersOwn(name)) {
        data.put(ENV_KEY_PREFIX + name, value);
      }
    });
    return data;
  }

  /** Whether a variable of the function's environment is the user's, not one Shoal sets itself. */
  private static boolean isUsersOwn(String name) {
    return !name.startsWith("SHOAL_") && !name.equals(JAVA_TOOL_OPTIONS);
  }

  /** The container's pod: Shoal's own spec set over the operator's template (see {@link PodTemplates}). */
  static Pod pod(ContainerSpec spec, KubernetesOptions options) {
    return PodTemplates.merge(options.podTemplate(), ownPod(spec, options));
  }

  private static Pod ownPod(ContainerSpec spec, KubernetesOptions options) {
    FunctionDefinition function = spec.function();
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (function.getCpu() > 0) {
      Quantity cpu = new Quantity(Math.max(1, Math.round(function.getCpu() * 1000)) + "m");
      requests.put("cpu", cpu);
      if (options.cpuLimit() == KubernetesOptions.CpuLimit.REQUEST) {
        limits.put("cpu", cpu);
      }
    }
    if (function.getMemoryMb() > 0) {
      // The launcher lives in the pod beside the function's JVM, so both count. Requested as much as the limit:
      // a pod that uses more memory than it requested is the first a node under memory pressure evicts.
      Quantity memory = new Quantity((function.getMemoryMb() + options.launcherMemoryMb()) + "Mi");
      requests.put("memory", memory);
      limits.put("memory", memory);
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(FUNCTION_ANNOTATION, function.getName());
    annotations.put(DEFAULT_CONTAINER_ANNOTATION, RUNTIME_CONTAINER);
    Map<String, String> nodeSelector = new LinkedHashMap<>();
    if (!function.getGpu().isEmpty()) {
      // The device plugin schedules by count; the node label, by type. The annotation keeps the request whole.
      limits.put(GPU_RESOURCE, new Quantity(Integer.toString(gpuCount(function.getGpu()))));
      annotations.put(GPU_ANNOTATION, function.getGpu());
      if (!options.gpuLabel().isEmpty()) {
        nodeSelector.put(options.gpuLabel(), gpuType(function.getGpu()));
      }
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(podName(spec.containerId()))
        .withNamespace(options.namespace())
        .withLabels(labels(spec, options))
        .withAnnotations(annotations)
        .withOwnerReferences(options.owners())
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withTerminationGracePeriodSeconds(terminationGraceSeconds(function))
        // A container talks to the control plane only; it has no business with the Kubernetes API.
        .withAutomountServiceAccountToken(false)
        .withNodeSelector(nodeSelector)
        // The "restricted" Pod Security Standard, on the pod and again on its container, so that a template's
        // container settings cannot undo it.
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUNTIME_USER)
        .withRunAsGroup(RUNTIME_USER)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName(RUNTIME_CONTAINER)
        .withImage(options.image())
        .withImagePullPolicy("IfNotPresent")
        .withEnv(env(spec, options))
        .withNewResources()
        .withRequests(requests)
        .withLimits(limits)
        .endResources()
        .withSecurityContext(containerSecurity())
        .addNewVolumeMount().withName(CACHE_VOLUME).withMountPath(CACHE_MOUNT).endVolumeMount()
        .addNewVolumeMount().withName(TMP_VOLUME).withMountPath(TMP_MOUNT).endVolumeMount()
        .endContainer()
        // The root file system is read-only: the JVMs, the fetched classpath and the volumes a container mounts
        // (which the runtime syncs under java.io.tmpdir) write only to these.
        .addNewVolume().withName(CACHE_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
        .addNewVolume().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec()
        .build();
  }

  /**
   * How long Kubernetes lets the pod's container stop after SIGTERM before it kills it: the time the runtime takes
   * to stop such a container gracefully. Every deletion by the backend is graceful, so this is what a container
   * ended by the control plane, a drain or an eviction gets.
   */
  static long terminationGraceSeconds(FunctionDefinition function) {
    return !function.getCls().isEmpty() || function.getVolumesCount() > 0 ? SLOW_STOP_GRACE_SECONDS
        : STOP_GRACE_SECONDS;
  }

  private static SecurityContext containerSecurity() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUNTIME_USER)
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  /** The type in a GPU request of the form {@code TYPE} or {@code TYPE:COUNT}, as a node label's value. */
  static String gpuType(String gpu) {
    int colon = gpu.lastIndexOf(':');
    String type = colon < 0 ? gpu : gpu.substring(0, colon);
    if (!LABEL_VALUE.matcher(type).matches()) {
      throw new IllegalArgumentException("the GPU type '" + type + "' cannot be a node label's value: 1..63"
          + " characters of [A-Za-z0-9-_.], starting and ending alphanumeric");
    }
    return type;
  }

  /** The number in a GPU request of the form {@code TYPE} or {@code TYPE:COUNT}. */
  static int gpuCount(String gpu) {
    int colon = gpu.lastIndexOf(':');
    if (colon < 0) {
      return 1;
    }
    try {
      int count = Integer.parseInt(gpu.substring(colon + 1));
      if (count < 1) {
        throw new NumberFormatException();
      }
      return count;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("gpu must look like TYPE or TYPE:COUNT, was '" + gpu + "'");
    }
  }

  private static EnvVar secretRef(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static List<EnvVar> env(ContainerSpec spec, KubernetesOptions options) {
    List<EnvVar> env = new ArrayList<>();
    // The user's variables first, without any that would take the place of Shoal's own, by reference to the
    // container's secret (see secretData).
    new java.util.TreeMap<>(spec.function().getEnvMap()).keySet().stream().filter(ContainerPods::isUsersOwn)
        .forEach(name -> env.add(secretRef(name, secretName(spec.containerId()), ENV_KEY_PREFIX + name)));
    javaToolOptions(spec.function()).ifPresent(value -> env.add(new EnvVar(JAVA_TOOL_OPTIONS, value, null)));
    // A pod inherits no variable, so only the ones set are needed.
    new java.util.TreeMap<>(options.trustEnv()).forEach((name, value) -> {
      if (!value.isEmpty()) {
        env.add(new EnvVar(name, value, null));
      }
    });
    env.add(new EnvVar(ContainerMain.ENV_TARGET, options.target(), null));
    env.add(new EnvVar(ContainerMain.ENV_ID, spec.containerId(), null));
    env.add(secretRef(ContainerMain.ENV_TOKEN, secretName(spec.containerId()), TOKEN_KEY));
    env.add(new EnvVar(RemoteContainerMain.ENV_ARTIFACTS, String.join(",", artifactHashes(spec)), null));
    env.add(new EnvVar(RemoteContainerMain.ENV_CACHE, CACHE_MOUNT + "/artifacts", null));
    // A pod outlives a control plane's restart: its container reconnects for as long as the next life keeps it.
    env.add(new EnvVar(ContainerMain.ENV_RECONNECT_SECONDS, Long.toString(KubernetesBackend.ADOPTION_WINDOW_SECONDS),
        null));
    return env;
  }

  /**
   * The options every JVM of the pod reads, which size the function's heap from its own memory rather than from the
   * pod's, which also holds the launcher: the runtime's launcher gives the container's JVM a share of what it takes
   * for the machine's memory ({@code -XX:MaxRAMPercentage}), and {@code -XX:MaxRAM} makes that the function's
   * {@code memoryMb}. The launcher's own heap is fixed by the image. A user's own value comes first, so that
   * Shoal's sizing wins; empty when the function sets no memory and the user no options.
   */
  static java.util.Optional<String> javaToolOptions(FunctionDefinition function) {
    String users = function.getEnvMap().getOrDefault(JAVA_TOOL_OPTIONS, "").strip();
    String own = function.getMemoryMb() > 0 ? "-XX:MaxRAM=" + function.getMemoryMb() + "m" : "";
    String value = (users + " " + own).strip();
    return value.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(value);
  }

  /**
   * The content hashes of the container's classpath. A pod cannot read the control plane's disk, so every entry
   * must be an artifact the client uploaded; a local path means the app was started without uploading.
   */
  static List<String> artifactHashes(ContainerSpec spec) {
    List<String> hashes = new ArrayList<>();
    for (String entry : spec.classpath()) {
      hashes.add(ArtifactStore.hashOf(entry).orElseThrow(() -> new IllegalArgumentException(
          "a Kubernetes container can only load uploaded artifacts, and app " + spec.appName()
              + " names the local path " + entry + "; run it through a Shoal server, whose clients upload"
              + " their classpath")));
    }
    return hashes;
  }
}
