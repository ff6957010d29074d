package dev.shoal.internal.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.protocol.v1.FunctionDefinition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The owner that container pods name: the control plane's Deployment, found from its own pod. */
@EnableKubernetesMockClient(crud = true)
class ControlPlaneOwnerTest {
  private static final String NS = "shoal";

  KubernetesClient client;

  @Test
  void podOfADeploymentNamesTheDeploymentAsOwnerOfContainerPods() {
    var deployment = client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata()
        .withName("shoal").endMetadata().withNewSpec().endSpec().build()).create();
    var replicaSet = client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder().withNewMetadata()
        .withName("shoal-7d9f8c6b5d").withOwnerReferences(controller(deployment)).endMetadata().build()).create();
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("shoal-7d9f8c6b5d-x2x7q")
        .withOwnerReferences(controller(replicaSet)).endMetadata().build()).create();

    OwnerReference owner = ControlPlaneOwner.of(client, NS, "shoal-7d9f8c6b5d-x2x7q").orElseThrow();

    assertThat(owner.getKind()).isEqualTo("Deployment");
    assertThat(owner.getApiVersion()).isEqualTo("apps/v1");
    assertThat(owner.getName()).isEqualTo("shoal");
    assertThat(owner.getUid()).isEqualTo(deployment.getMetadata().getUid()).isNotBlank();
    assertThat(owner.getController()).isFalse();
    assertThat(owner.getBlockOwnerDeletion()).isFalse();
    var pod = ContainerPods.pod(new ContainerSpec("ct-1", "t", "app", "com.example.App",
            List.of("/a/" + "a".repeat(64) + ".jar"), FunctionDefinition.newBuilder().setName("f").build()),
        new KubernetesOptions(NS, "runtime:1", "shoal.shoal.svc:7700", 4, "shoal-shoal").withOwner(owner));
    assertThat(pod.getMetadata().getOwnerReferences()).containsExactly(owner);
  }

  @Test
  void barePodOwnsNothing() {
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("shoal-dev").endMetadata()
        .build()).create();

    assertThat(ControlPlaneOwner.of(client, NS, "shoal-dev")).isEmpty();
    assertThat(ControlPlaneOwner.of(client, NS, "no-such-pod")).isEmpty();
  }

  private static OwnerReference controller(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .build();
  }
}
