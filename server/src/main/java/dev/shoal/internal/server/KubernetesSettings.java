package dev.shoal.internal.server;

import dev.shoal.internal.backend.kubernetes.KubernetesOptions;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a server runs its containers as Kubernetes pods ({@code --backend kubernetes}).
 *
 * @param image the generic runtime image every container pod runs
 * @param namespace where pods go; empty for the kubeconfig's namespace, or the server's own when it runs in a pod
 * @param kubeconfig a kubeconfig file; empty for the standard discovery: in-cluster configuration when the server
 *     runs in a pod, else {@code KUBECONFIG} or {@code ~/.kube/config}
 * @param advertisedAddress the {@code HOST:PORT} pods reach this server at; empty for {@code shoal.NAMESPACE.svc}
 *     and the server's port, the Service that deploy/kubernetes makes
 * @param instance tells this server's pods from another's in the same namespace
 * @param gpuLabel the node label a function's GPU type selects nodes by; empty selects none by type
 */
public record KubernetesSettings(String image, Optional<String> namespace, Optional<Path> kubeconfig,
    Optional<String> advertisedAddress, String instance, String gpuLabel) {
  public KubernetesSettings {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("--backend kubernetes needs --kube-image, the runtime image pods run");
    }
  }

  public static KubernetesSettings of(String image) {
    return new KubernetesSettings(image, Optional.empty(), Optional.empty(), Optional.empty(),
        KubernetesOptions.DEFAULT_INSTANCE, KubernetesOptions.DEFAULT_GPU_LABEL);
  }

  public KubernetesSettings withNamespace(String namespace) {
    return new KubernetesSettings(image, Optional.of(namespace), kubeconfig, advertisedAddress, instance, gpuLabel);
  }

  public KubernetesSettings withKubeconfig(Path kubeconfig) {
    return new KubernetesSettings(image, namespace, Optional.of(kubeconfig), advertisedAddress, instance, gpuLabel);
  }

  public KubernetesSettings withAdvertisedAddress(String address) {
    return new KubernetesSettings(image, namespace, kubeconfig, Optional.of(address), instance, gpuLabel);
  }

  public KubernetesSettings withInstance(String instance) {
    return new KubernetesSettings(image, namespace, kubeconfig, advertisedAddress, instance, gpuLabel);
  }

  /** Selects GPU nodes by {@code label} (such as {@code nvidia.com/gpu.product}); empty selects none by type. */
  public KubernetesSettings withGpuLabel(String label) {
    return new KubernetesSettings(image, namespace, kubeconfig, advertisedAddress, instance, label);
  }
}
