package dev.shoal.internal.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.protocol.v1.FunctionDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A burst of a thousand containers against the mock API server, counting the requests it receives, then the
 * deletion of all their pods from outside. It reports the time the burst took, for a reader to compare; no
 * assertion is made of it.
 */
@EnableKubernetesMockClient(crud = true)
class PodBurstTest {
  private static final String NS = "shoal-burst";
  private static final int CONTAINERS = 1_000;

  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void thousandPodsAreMadeWithTwoRequestsEach() throws InterruptedException {
    KubernetesBackend backend = new KubernetesBackend(client, new KubernetesOptions(NS, "runtime:1",
        "shoal.svc:7700", CONTAINERS, "shoal"));
    try {
      while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
        // The informer's list and watch: made once, whatever the number of pods.
      }
      FunctionDefinition function = FunctionDefinition.newBuilder().setName("f").setCpu(0.125).setMemoryMb(128)
          .build();
      AtomicInteger exits = new AtomicInteger();
      long began = System.nanoTime();
      for (int i = 0; i < CONTAINERS; i++) {
        backend.start(new ContainerSpec("ct-burst" + i, "token-" + i, "burst", "com.example.Burst",
            List.of("/a/" + "a".repeat(64) + ".jar"), function), (id, exit) -> exits.incrementAndGet());
      }
      long returned = System.nanoTime();
      Map<String, Integer> writes = new TreeMap<>();
      int made = 0;
      while (made < CONTAINERS) {
        RecordedRequest request = server.takeRequest(60, TimeUnit.SECONDS);
        assertThat(request).as("a request within a minute; %s secrets made so far", made).isNotNull();
        // A request to a collection as it is (POST .../pods), one to an object with its name left out.
        String path = request.getPath().replaceAll("\\?.*", "");
        String kind = request.getMethod() + " " + (path.matches(".*/(pods|secrets)")
            ? path : path.replaceAll("/[^/]+$", "/NAME"));
        writes.merge(kind, 1, Integer::sum);
        if (kind.equals("POST /api/v1/namespaces/" + NS + "/secrets")) {
          made++;
        }
      }
      long done = System.nanoTime();
      await().atMost(Duration.ofSeconds(60)).until(() -> backend.liveContainers() == CONTAINERS);
      int requests = writes.values().stream().mapToInt(Integer::intValue).sum();

      assertThat(writes).containsEntry("POST /api/v1/namespaces/" + NS + "/pods", CONTAINERS)
          .containsEntry("POST /api/v1/namespaces/" + NS + "/secrets", CONTAINERS);
      assertThat(requests).as("every request of the burst: %s", writes).isEqualTo(2 * CONTAINERS);
      System.out.printf("PodBurstTest: %d containers, %.2f API requests per container (%s); start() returned for"
              + " all in %d ms; every pod and secret made in %d ms (%d at once)%n", CONTAINERS,
          (double) requests / CONTAINERS, writes, TimeUnit.NANOSECONDS.toMillis(returned - began),
          TimeUnit.NANOSECONDS.toMillis(done - began), backend.options().createParallelism());

      // Every pod deleted from outside ends its container, as the informer reports each deletion. Waiting for
      // that also leaves the watch with nothing in flight when the backend closes it: the mock API server's
      // event loop waits for a closing watch's unsent events, and would stall its own shutdown past its limit.
      client.pods().inNamespace(NS).delete();
      // A container leaves the live ones before its exit is told, on another thread: both are awaited.
      await().atMost(Duration.ofSeconds(60))
          .until(() -> backend.liveContainers() == 0 && exits.get() == CONTAINERS);
    } finally {
      backend.close();
    }
  }
}
