package dev.shoal.internal.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What Kubernetes' garbage collector does for the mock API server, which has none: a secret owned by a pod that no
 * longer exists is deleted. A sweep a test runs while it waits, rather than a watch, so that it adds no watch to
 * the mock server (each watch it closes holds up its event loop for a while).
 */
final class SimulatedGarbageCollector {
  private SimulatedGarbageCollector() {}

  /** Deletes the secrets in {@code namespace} whose owner pods are gone. */
  static void collect(KubernetesClient client, String namespace) {
    Set<String> pods = client.pods().inNamespace(namespace).list().getItems().stream()
        .map(Pod::getMetadata).map(m -> m.getUid()).collect(Collectors.toSet());
    for (Secret secret : client.secrets().inNamespace(namespace).list().getItems()) {
      boolean orphaned = !secret.getMetadata().getOwnerReferences().isEmpty() && secret.getMetadata()
          .getOwnerReferences().stream().noneMatch(o -> pods.contains(o.getUid()));
      if (orphaned) {
        try {
          client.secrets().inNamespace(namespace).resource(secret).delete();
        } catch (KubernetesClientException e) {
          // Deleted meanwhile.
        }
      }
    }
  }
}
