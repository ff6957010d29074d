package dev.shoal.internal.backend.kubernetes;

import static org.awaitility.Awaitility.await;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerBackendContract;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.protocol.v1.FunctionDefinition;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * The Kubernetes backend against the contract every backend keeps, on the mock API server in CRUD mode: pods are
 * stored and never run, so a container waits until it is ended, as one that no control plane serves would; a
 * failing container is a pod whose runtime a simulated kubelet reports as exited with an error.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesBackendContractTest extends ContainerBackendContract {
  private static final String NS = "shoal-contract";
  private static final String HASH = "c".repeat(64);

  KubernetesClient client;
  private final AtomicInteger instances = new AtomicInteger();
  private final List<SharedIndexInformer<Pod>> kubelets = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopKubelets() {
    kubelets.forEach(SharedIndexInformer::close);
  }

  /** A backend of an instance of its own, since a backend deletes the pods of its instance as it starts. */
  private KubernetesBackend backend(int capacity, String instance) {
    return new KubernetesBackend(client, new KubernetesOptions(NS, "registry.example/shoal-runtime:1",
        "shoal." + NS + ".svc:7700", capacity, instance));
  }

  @Override
  protected ContainerBackend newWaitingBackend(int capacity) {
    return backend(capacity, "waiting-" + instances.incrementAndGet());
  }

  @Override
  protected ContainerBackend newFailingBackend(int capacity) {
    String instance = "failing-" + instances.incrementAndGet();
    kubelets.add(client.pods().inNamespace(NS).withLabel(ContainerPods.INSTANCE, instance)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            // Off the informer's thread, as a kubelet would report it: the runtime's JVM exited with code 1.
            Thread.ofVirtual().start(() -> failed(pod.getMetadata().getName()));
          }

          @Override
          public void onUpdate(Pod before, Pod pod) {}

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {}
        }));
    return backend(capacity, instance);
  }

  private void failed(String podName) {
    client.pods().inNamespace(NS).withName(podName).editStatus(p -> new PodBuilder(p)
        .withNewStatus().withPhase("Failed").withContainerStatuses(new ContainerStatusBuilder()
            .withName("runtime").withNewState().withNewTerminated().withReason("Error").withExitCode(1)
            .endTerminated().endState().build()).endStatus().build());
  }

  @Override
  protected void endFromOutside(ContainerHandle handle, String containerId) {
    String pod = ContainerPods.podName(containerId);
    await().atMost(EXIT_WAIT).until(() -> client.pods().inNamespace(NS).withName(pod).get() != null);
    client.pods().inNamespace(NS).withName(pod).delete(); // as kubectl delete pod would
  }

  /** Pods load only uploaded artifacts, named by hash. */
  @Override
  protected ContainerSpec spec(String containerId) {
    return new ContainerSpec(containerId, "token-of-" + containerId, "contract", "com.example.Job",
        List.of("/data/artifacts/" + HASH + ".jar"), FunctionDefinition.newBuilder().setName("f").build());
  }
}
