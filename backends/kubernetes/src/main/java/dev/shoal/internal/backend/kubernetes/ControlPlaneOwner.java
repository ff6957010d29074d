package dev.shoal.internal.backend.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * The workload that runs the control plane, which every container pod names as its owner: the Deployment of the
 * control plane's pod (through its ReplicaSet), or its StatefulSet. Owned so, the container pods outlive a restart
 * or an upgrade of the control plane, whose new pod belongs to the same workload, and go with it when the workload
 * is deleted ({@code kubectl delete -k deploy/kubernetes}), with their secrets, which they own in turn.
 *
 * <p>Not the control plane's pod itself, which every restart replaces and whose deletion would take every container
 * with it. The reference neither marks a controller nor blocks the owner's deletion, which would need rights on the
 * owner beyond reading it.
 */
public final class ControlPlaneOwner {
  private ControlPlaneOwner() {}

  /**
   * The owner for container pods of the control plane running in pod {@code podName} of {@code namespace}; empty
   * when the pod belongs to no Deployment or StatefulSet (a bare pod, a Job).
   */
  public static Optional<OwnerReference> of(KubernetesClient client, String namespace, String podName) {
    Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
    if (pod == null) {
      return Optional.empty();
    }
    Optional<OwnerReference> controller = controllerOf(pod);
    if (controller.isPresent() && controller.get().getKind().equals("ReplicaSet")) {
      ReplicaSet replicaSet = client.apps().replicaSets().inNamespace(namespace)
          .withName(controller.get().getName()).get();
      controller = replicaSet == null ? Optional.empty() : controllerOf(replicaSet);
      return controller.filter(c -> c.getKind().equals("Deployment")).map(ControlPlaneOwner::reference);
    }
    return controller.filter(c -> c.getKind().equals("StatefulSet")).map(ControlPlaneOwner::reference);
  }

  private static Optional<OwnerReference> controllerOf(HasMetadata object) {
    return object.getMetadata().getOwnerReferences() == null ? Optional.empty()
        : object.getMetadata().getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController()))
            .findFirst();
  }

  private static OwnerReference reference(OwnerReference workload) {
    return new OwnerReferenceBuilder().withApiVersion(workload.getApiVersion()).withKind(workload.getKind())
        .withName(workload.getName()).withUid(workload.getUid()).withController(false)
        .withBlockOwnerDeletion(false).build();
  }
}
