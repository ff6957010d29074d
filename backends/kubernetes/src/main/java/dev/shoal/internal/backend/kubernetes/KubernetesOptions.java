package dev.shoal.internal.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.regex.Pattern;

/**
 * How the Kubernetes backend runs containers.
 *
 * @param namespace where container pods and their token secrets are made; the control plane's service account
 *     needs rights on pods and secrets there, and nothing more
 * @param image the generic runtime image every container pod runs
 * @param target where pods reach the control plane ({@code host:port}), usually its Service's name
 * @param capacity the most container pods at once, across every function
 * @param instance tells this control plane's pods from another's in the same namespace; reconciliation deletes
 *     only pods that carry its own instance label
 * @param gpuLabel the node label whose value a function's GPU type must equal: a pod of {@code gpu("A100:2")}
 *     gets the node selector {@code gpuLabel: A100}; empty selects no nodes by type (the type is then only an
 *     annotation, and any node with free GPUs will do)
 * @param cpuLimit whether a pod's CPU is limited, or only requested
 * @param launcherMemoryMb what the runtime image's launcher JVM needs beside the function's {@code memoryMb}: a
 *     pod's memory is the function's memory plus this
 * @param podTemplate the operator's pod, which every container pod starts from: Shoal's own fields are set over
 *     it (see {@link PodTemplates}); an empty pod when none was given
 * @param createParallelism the most pods being created at once: each takes two API requests
 * @param trustEnv variables that tell a pod how to trust the control plane over TLS (its certificates, which are
 *     public, and the name in them), as {@code ServerTrust.containerEnvironment} gives them; empty for plaintext
 * @param scheduleTimeout how long a pod may stay {@code Unschedulable} before its container's start fails with the
 *     scheduler's reason
 * @param owners what every container pod names as its owner: the control plane's workload ({@link ControlPlaneOwner})
 *     when it runs in the pods' namespace, else none
 */
public record KubernetesOptions(String namespace, String image, String target, int capacity, String instance,
    String gpuLabel, CpuLimit cpuLimit, int launcherMemoryMb, Pod podTemplate, int createParallelism,
    java.util.Map<String, String> trustEnv, java.time.Duration scheduleTimeout,
    java.util.List<io.fabric8.kubernetes.api.model.OwnerReference> owners) {
  /** A DNS-1123 label, as a namespace name and a label value Shoal uses as one must be. */
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  /** A label key: an optional DNS subdomain and '/', then a name of up to 63 characters. */
  private static final Pattern LABEL_KEY = Pattern.compile(
      "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  public static final String DEFAULT_INSTANCE = "shoal";
  /** The label that NVIDIA's GPU feature discovery puts on a node, such as {@code NVIDIA-A100-SXM4-80GB}. */
  public static final String DEFAULT_GPU_LABEL = "nvidia.com/gpu.product";
  /**
   * The launcher's share of a pod's memory. Measured: the launcher JVM of deploy/docker/runtime.Dockerfile peaked
   * at 98 to 102 MiB of resident memory while it fetched the test JVM's classpath and started the container's JVM
   * (docs/kubernetes.md gives the command); the rest is room for the page cache of the artifacts it wrote.
   */
  public static final int DEFAULT_LAUNCHER_MEMORY_MB = 128;
  /**
   * Enough requests at once to start a burst of pods in seconds, few enough that the API server's priority and
   * fairness does not turn them away as a flood.
   */
  public static final int DEFAULT_CREATE_PARALLELISM = 16;
  /**
   * Long enough for a cluster autoscaler to add a node, which takes a minute or two, and short enough to end
   * within the function's start-up timeout (by default its timeout, 300 s), so that the scheduler's reason, rather
   * than a missed deadline, is what the function's start failure says.
   */
  public static final java.time.Duration DEFAULT_SCHEDULE_TIMEOUT = java.time.Duration.ofSeconds(180);

  /** Whether pods get a CPU limit. */
  public enum CpuLimit {
    /**
     * Pods request the function's cpu and have no limit: a JVM starts, compiles and collects garbage in bursts,
     * which a limit would throttle, and idle CPU on the node is better used than not.
     */
    NONE,
    /** The limit equals the request, as a namespace whose ResourceQuota counts {@code limits.cpu} needs. */
    REQUEST;

    /** The value of {@code --kube-cpu-limit}: {@code none} or {@code request}. */
    public static CpuLimit parse(String value) {
      return switch (value) {
        case "none" -> NONE;
        case "request" -> REQUEST;
        default -> throw new IllegalArgumentException(
            "the CPU limit must be none (only a request) or request (a limit equal to the request), was '" + value
                + "'");
      };
    }
  }

  /** Options that select GPU nodes by {@link #DEFAULT_GPU_LABEL}. */
  public KubernetesOptions(String namespace, String image, String target, int capacity, String instance) {
    this(namespace, image, target, capacity, instance, DEFAULT_GPU_LABEL);
  }

  /** Options with every default below the GPU label. */
  public KubernetesOptions(String namespace, String image, String target, int capacity, String instance,
      String gpuLabel) {
    this(namespace, image, target, capacity, instance, gpuLabel, CpuLimit.NONE, DEFAULT_LAUNCHER_MEMORY_MB,
        new Pod(), DEFAULT_CREATE_PARALLELISM, java.util.Map.of(), DEFAULT_SCHEDULE_TIMEOUT, java.util.List.of());
  }

  public KubernetesOptions {
    if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "a Kubernetes namespace is 1..63 characters of [a-z0-9-] starting and ending alphanumeric, was '"
              + namespace + "'");
    }
    if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("the runtime image must be an image reference without spaces, was '"
          + image + "'");
    }
    if (target == null || !target.matches("[^\\s:]+:\\d{1,5}")) {
      throw new IllegalArgumentException(
          "the address pods reach the control plane at must be HOST:PORT, was '" + target + "'");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("the most container pods at once must be at least 1, was " + capacity);
    }
    checkInstance(instance);
    if (gpuLabel == null || !gpuLabel.isEmpty() && (!LABEL_KEY.matcher(gpuLabel).matches()
        || gpuLabel.indexOf('/') > 253)) {
      throw new IllegalArgumentException("the GPU node label must be a label key such as " + DEFAULT_GPU_LABEL
          + " ([PREFIX/]NAME), or empty to select no nodes by GPU type, was '" + gpuLabel + "'");
    }
    if (cpuLimit == null) {
      throw new IllegalArgumentException("the CPU limit must be NONE or REQUEST, was null");
    }
    if (launcherMemoryMb < 0 || launcherMemoryMb > 65_536) {
      throw new IllegalArgumentException("the launcher's memory must be 0..65536 MiB, was " + launcherMemoryMb);
    }
    if (podTemplate == null) {
      throw new IllegalArgumentException("the pod template must be a pod, empty for none, was null");
    }
    // A copy, so that no caller can change the pods of a running backend through the object it passed.
    podTemplate = new PodBuilder(podTemplate).build();
    if (createParallelism < 1 || createParallelism > 256) {
      throw new IllegalArgumentException("the pods created at once must be 1..256, was " + createParallelism);
    }
    trustEnv = java.util.Map.copyOf(trustEnv);
    checkScheduleTimeout(scheduleTimeout);
    owners = java.util.List.copyOf(owners);
  }

  /** Refuses a schedule timeout outside 1 s..24 h, naming the rule. */
  public static java.time.Duration checkScheduleTimeout(java.time.Duration scheduleTimeout) {
    if (scheduleTimeout == null || scheduleTimeout.compareTo(java.time.Duration.ofSeconds(1)) < 0
        || scheduleTimeout.compareTo(java.time.Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("the schedule timeout must be 1 s..24 h, was " + scheduleTimeout);
    }
    return scheduleTimeout;
  }

  /** Refuses an instance name that cannot be a label value, naming the rule. */
  public static String checkInstance(String instance) {
    if (instance == null || !DNS_LABEL.matcher(instance).matches()) {
      throw new IllegalArgumentException(
          "an instance name is 1..63 characters of [a-z0-9-] starting and ending alphanumeric, was '" + instance
              + "'");
    }
    return instance;
  }

  @Override
  public Pod podTemplate() {
    return new PodBuilder(podTemplate).build();
  }

  public KubernetesOptions withCpuLimit(CpuLimit cpuLimit) {
    return new KubernetesOptions(namespace, image, target, capacity, instance, gpuLabel, cpuLimit, launcherMemoryMb,
        podTemplate, createParallelism, trustEnv, scheduleTimeout, owners);
  }

  public KubernetesOptions withLauncherMemoryMb(int launcherMemoryMb) {
    return new KubernetesOptions(namespace, image, target, capacity, instance, gpuLabel, cpuLimit, launcherMemoryMb,
        podTemplate, createParallelism, trustEnv, scheduleTimeout, owners);
  }

  /** Starts every container pod from {@code template}, as {@link PodTemplates#load} reads one from a file. */
  public KubernetesOptions withPodTemplate(Pod template) {
    return new KubernetesOptions(namespace, image, target, capacity, instance, gpuLabel, cpuLimit, launcherMemoryMb,
        template, createParallelism, trustEnv, scheduleTimeout, owners);
  }

  /** Pods trust the control plane as {@code trustEnv} says (see the record's parameter). */
  public KubernetesOptions withTrustEnv(java.util.Map<String, String> trustEnv) {
    return new KubernetesOptions(namespace, image, target, capacity, instance, gpuLabel, cpuLimit, launcherMemoryMb,
        podTemplate, createParallelism, trustEnv, scheduleTimeout, owners);
  }

  /** Pods may stay unschedulable for {@code scheduleTimeout} (see the record's parameter). */
  public KubernetesOptions withScheduleTimeout(java.time.Duration scheduleTimeout) {
    return new KubernetesOptions(namespace, image, target, capacity, instance, gpuLabel, cpuLimit, launcherMemoryMb,
        podTemplate, createParallelism, trustEnv, scheduleTimeout, owners);
  }

  /** Container pods name {@code owner} as their owner (see the record's parameter). */
  public KubernetesOptions withOwner(io.fabric8.kubernetes.api.model.OwnerReference owner) {
    return new KubernetesOptions(namespace, image, target, capacity, instance, gpuLabel, cpuLimit, launcherMemoryMb,
        podTemplate, createParallelism, trustEnv, scheduleTimeout, java.util.List.of(owner));
  }

  public KubernetesOptions withCreateParallelism(int createParallelism) {
    return new KubernetesOptions(namespace, image, target, capacity, instance, gpuLabel, cpuLimit, launcherMemoryMb,
        podTemplate, createParallelism, trustEnv, scheduleTimeout, owners);
  }
}
