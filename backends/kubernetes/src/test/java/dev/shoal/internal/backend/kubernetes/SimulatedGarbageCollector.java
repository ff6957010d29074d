package dev.shoal.internal.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * What Kubernetes' garbage collector does for the mock API server, which has none: when a pod is deleted, the
 * secrets it owns (by an owner reference to its uid) are deleted too.
 */
final class SimulatedGarbageCollector implements AutoCloseable {
  private final SharedIndexInformer<Pod> informer;

  SimulatedGarbageCollector(KubernetesClient client, String namespace) {
    this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {}

      @Override
      public void onUpdate(Pod before, Pod pod) {}

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        String uid = pod.getMetadata().getUid();
        for (Secret secret : client.secrets().inNamespace(namespace).list().getItems()) {
          if (secret.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getUid().equals(uid))) {
            try {
              client.secrets().inNamespace(namespace).resource(secret).delete();
            } catch (KubernetesClientException e) {
              // Deleted meanwhile.
            }
          }
        }
      }
    });
  }

  @Override
  public void close() {
    informer.close();
  }
}
