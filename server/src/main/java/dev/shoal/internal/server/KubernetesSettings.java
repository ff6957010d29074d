package dev.shoal.internal.server;

import dev.shoal.internal.backend.kubernetes.KubernetesOptions;
import dev.shoal.internal.backend.kubernetes.KubernetesOptions.CpuLimit;
import dev.shoal.internal.backend.kubernetes.PodTemplates;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a server runs its containers as Kubernetes pods ({@code --backend kubernetes}).
 *
 * @param image the generic runtime image every container pod runs
 * @param namespace where pods go; empty for the kubeconfig's namespace, or the server's own when it runs in a pod
 * @param kubeconfig a kubeconfig file; empty for the standard discovery: in-cluster configuration when the server
 *     runs in a pod, else {@code KUBECONFIG} or {@code ~/.kube/config}
 * @param advertisedAddress the {@code HOST:PORT} pods reach this server at; empty for {@code shoal.NAMESPACE.svc}
 *     (the server's own namespace) and the server's port, the Service that deploy/kubernetes makes
 * @param instance tells this server's pods from another's in the same namespace ({@code --kube-instance}); empty
 *     for a default unique to this control plane and stable across its restarts (see {@link InstanceName})
 * @param gpuLabel the node label a function's GPU type selects nodes by; empty selects none by type
 * @param cpuLimit whether pods get a CPU limit equal to their request, or only the request
 * @param launcherMemoryMb the memory a pod gets for the runtime's launcher beside the function's memoryMb
 * @param podTemplate the operator's pod every container pod starts from ({@code --kube-pod-template}); an empty
 *     pod for none
 * @param scheduleTimeout how long a pod may find no node before its container's start fails with the scheduler's
 *     reason ({@code --kube-schedule-timeout})
 */
public record KubernetesSettings(String image, Optional<String> namespace, Optional<Path> kubeconfig,
    Optional<String> advertisedAddress, Optional<String> instance, String gpuLabel, CpuLimit cpuLimit, int launcherMemoryMb,
    Pod podTemplate, Duration scheduleTimeout) {
  public KubernetesSettings {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("--backend kubernetes needs --kube-image, the runtime image pods run");
    }
  }

  public static KubernetesSettings of(String image) {
    return new KubernetesSettings(image, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), KubernetesOptions.DEFAULT_GPU_LABEL, CpuLimit.NONE,
        KubernetesOptions.DEFAULT_LAUNCHER_MEMORY_MB, new Pod(), KubernetesOptions.DEFAULT_SCHEDULE_TIMEOUT);
  }

  /**
   * The backend's options, for pods in {@code namespace} that reach this server at {@code target}, labelled with
   * {@code defaultInstance} unless an instance was given.
   */
  public KubernetesOptions options(String namespace, String target, int capacity, String defaultInstance) {
    return new KubernetesOptions(namespace, image, target, capacity, instance.orElse(defaultInstance), gpuLabel)
        .withCpuLimit(cpuLimit).withLauncherMemoryMb(launcherMemoryMb).withPodTemplate(podTemplate)
        .withScheduleTimeout(scheduleTimeout);
  }

  public KubernetesSettings withNamespace(String namespace) {
    return new KubernetesSettings(image, Optional.of(namespace), kubeconfig, advertisedAddress, instance, gpuLabel,
        cpuLimit, launcherMemoryMb, podTemplate, scheduleTimeout);
  }

  public KubernetesSettings withKubeconfig(Path kubeconfig) {
    return new KubernetesSettings(image, namespace, Optional.of(kubeconfig), advertisedAddress, instance, gpuLabel,
        cpuLimit, launcherMemoryMb, podTemplate, scheduleTimeout);
  }

  public KubernetesSettings withAdvertisedAddress(String address) {
    return new KubernetesSettings(image, namespace, kubeconfig, Optional.of(address), instance, gpuLabel,
        cpuLimit, launcherMemoryMb, podTemplate, scheduleTimeout);
  }

  /** {@code --kube-instance}: checked now, so that a name Kubernetes would refuse stops the start. */
  public KubernetesSettings withInstance(String instance) {
    return new KubernetesSettings(image, namespace, kubeconfig, advertisedAddress,
        Optional.of(KubernetesOptions.checkInstance(instance)), gpuLabel,
        cpuLimit, launcherMemoryMb, podTemplate, scheduleTimeout);
  }

  /** Selects GPU nodes by {@code label} (such as {@code nvidia.com/gpu.product}); empty selects none by type. */
  public KubernetesSettings withGpuLabel(String label) {
    return new KubernetesSettings(image, namespace, kubeconfig, advertisedAddress, instance, label,
        cpuLimit, launcherMemoryMb, podTemplate, scheduleTimeout);
  }

  /** {@code --kube-cpu-limit none|request}. */
  public KubernetesSettings withCpuLimit(CpuLimit cpuLimit) {
    return new KubernetesSettings(image, namespace, kubeconfig, advertisedAddress, instance, gpuLabel,
        cpuLimit, launcherMemoryMb, podTemplate, scheduleTimeout);
  }

  /** {@code --kube-launcher-memory MIB}. */
  public KubernetesSettings withLauncherMemoryMb(int launcherMemoryMb) {
    return new KubernetesSettings(image, namespace, kubeconfig, advertisedAddress, instance, gpuLabel,
        cpuLimit, launcherMemoryMb, podTemplate, scheduleTimeout);
  }

  /** {@code --kube-schedule-timeout DURATION}: checked now, so that a value the backend refuses stops the start. */
  public KubernetesSettings withScheduleTimeout(Duration scheduleTimeout) {
    return new KubernetesSettings(image, namespace, kubeconfig, advertisedAddress, instance, gpuLabel, cpuLimit,
        launcherMemoryMb, podTemplate, KubernetesOptions.checkScheduleTimeout(scheduleTimeout));
  }

  /** {@code --kube-pod-template FILE}: read now, so that a template that cannot be used stops the start. */
  public KubernetesSettings withPodTemplate(Path file) {
    return new KubernetesSettings(image, namespace, kubeconfig, advertisedAddress, instance, gpuLabel,
        cpuLimit, launcherMemoryMb, PodTemplates.load(file), scheduleTimeout);
  }
}
