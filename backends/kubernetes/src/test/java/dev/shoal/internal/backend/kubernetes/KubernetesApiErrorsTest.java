package dev.shoal.internal.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.protocol.v1.FunctionDefinition;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API server's errors while pods are made, from the mock API server in CRUD mode with an expectation in front
 * for the error. The backend's client here does not retry by itself (fabric8's client retries 429 and 5xx a few
 * times before it gives up), so that what is tested is the backend's own handling of what is left.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesApiErrorsTest {
  private static final String NS = "shoal-test";
  private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";
  private static final String SECRETS = "/api/v1/namespaces/" + NS + "/secrets";

  KubernetesClient client;
  KubernetesMockServer server;
  private KubernetesClient noRetries;
  private KubernetesBackend backend;
  private final Map<String, ContainerExit> exits = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    noRetries = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build();
    backend = new KubernetesBackend(noRetries, new KubernetesOptions(NS, "registry.example/shoal-runtime:1",
        "shoal.shoal-test.svc:7700", 10, "shoal"));
  }

  @AfterEach
  void stop() {
    backend.close();
    noRetries.close();
  }

  private ContainerHandle start(String id) {
    return backend.start(new ContainerSpec(id, "token-of-" + id, "my-app", "com.example.Job",
        List.of("/data/artifacts/" + "a".repeat(64) + ".jar"), FunctionDefinition.newBuilder().setName("f").build()),
        (containerId, exit) -> exits.put(containerId, exit));
  }

  private static Status status(int code, String reason, String message) {
    return new StatusBuilder().withCode(code).withReason(reason).withMessage(message).withStatus("Failure").build();
  }

  private boolean podAndSecretExist(String id) {
    return client.pods().inNamespace(NS).withName(ContainerPods.podName(id)).get() != null
        && client.secrets().inNamespace(NS).withName(ContainerPods.secretName(id)).get() != null;
  }

  @Test
  void throttlingAndServerErrorsAreTriedAgainAndNeverEndTheContainer() {
    server.expect().post().withPath(PODS).andReturn(429, status(429, "TooManyRequests", "slow down")).once();
    server.expect().post().withPath(PODS).andReturn(503, status(503, "ServiceUnavailable", "restarting")).once();
    server.expect().post().withPath(SECRETS).andReturn(500, status(500, "InternalError", "etcd timeout")).once();

    ContainerHandle handle = start("ct-throttled");

    await().atMost(Duration.ofSeconds(20)).until(() -> podAndSecretExist("ct-throttled"));
    assertThat(handle.isAlive()).isTrue();
    assertThat(exits).isEmpty();
    assertThat(client.pods().inNamespace(NS).list().getItems()).hasSize(1);
  }

  @Test
  void anExhaustedQuotaIsWaitedOutRatherThanCountedAsAFailedStart() {
    server.expect().post().withPath(PODS).andReturn(403, status(403, "Forbidden",
        "pods \"shoal-ct-quota\" is forbidden: exceeded quota: compute, requested: memory=256Mi")).times(2);

    start("ct-quota");

    await().atMost(Duration.ofSeconds(20)).until(() -> podAndSecretExist("ct-quota"));
    assertThat(exits).isEmpty();
  }

  @Test
  void aPodSecurityRefusalEndsTheStartWithTheApiServersWords() {
    server.expect().post().withPath(PODS).andReturn(403, status(403, "Forbidden", "pods \"shoal-ct-refused\" is"
        + " forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false")).always();

    start("ct-refused");

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-refused"));
    ContainerExit exit = exits.get("ct-refused");
    assertThat(exit.cause()).isEqualTo(ContainerExit.Cause.NOT_STARTED);
    assertThat(exit.failedByItself()).as("counts against the function's start").isTrue();
    assertThat(exit.detail()).contains("HTTP 403").contains("violates PodSecurity");
  }

  @Test
  void anInvalidPodEndsTheStartAtOnce() {
    server.expect().post().withPath(PODS).andReturn(422, status(422, "Invalid",
        "Pod \"shoal-ct-invalid\" is invalid: spec.tolerations[0].operator: Unsupported value")).always();

    start("ct-invalid");

    await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("ct-invalid"));
    assertThat(exits.get("ct-invalid").detail()).contains("HTTP 422").contains("Unsupported value");
  }

  @Test
  void aContainerKilledWhileItsPodWaitsForTheApiServerEndsWithoutAPod() {
    server.expect().post().withPath(PODS).andReturn(503, status(503, "ServiceUnavailable", "down")).always();
    ContainerHandle handle = start("ct-gave-up");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.getRequestCount() > 0 && !exits.containsKey("x"));

    handle.kill();

    await().atMost(Duration.ofSeconds(40)).until(() -> exits.containsKey("ct-gave-up"));
    assertThat(exits.get("ct-gave-up").cause()).isEqualTo(ContainerExit.Cause.STOPPED);
    assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void errorsAreSortedIntoPassingAndRefused() {
    assertThat(ApiErrors.passing(new KubernetesClientException("no route to host"))).isTrue();
    assertThat(ApiErrors.passing(new KubernetesClientException(status(429, "TooManyRequests", "")))).isTrue();
    assertThat(ApiErrors.passing(new KubernetesClientException(status(504, "Timeout", "")))).isTrue();
    assertThat(ApiErrors.passing(new KubernetesClientException(status(403, "Forbidden", "exceeded quota: q"))))
        .isTrue();
    assertThat(ApiErrors.passing(new KubernetesClientException(status(403, "Forbidden", "RBAC: no")))).isFalse();
    assertThat(ApiErrors.passing(new KubernetesClientException(status(404, "NotFound", "namespace")))).isFalse();
    assertThat(ApiErrors.passing(new KubernetesClientException(status(422, "Invalid", "")))).isFalse();
    assertThat(ApiErrors.backoffMillis(2, 0)).isEqualTo(ApiErrors.FIRST_BACKOFF_MILLIS);
    assertThat(ApiErrors.backoffMillis(3, 0)).isEqualTo(2 * ApiErrors.FIRST_BACKOFF_MILLIS);
    assertThat(ApiErrors.backoffMillis(40, 0)).isEqualTo(ApiErrors.MAX_BACKOFF_MILLIS);
    assertThat(ApiErrors.backoffMillis(40, 1)).isEqualTo(ApiErrors.MAX_BACKOFF_MILLIS * 4 / 5);
  }
}
