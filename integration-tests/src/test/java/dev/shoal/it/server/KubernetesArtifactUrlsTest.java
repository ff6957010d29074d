package dev.shoal.it.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.internal.runtime.ArtifactCache;
import dev.shoal.internal.server.KubernetesSettings;
import dev.shoal.internal.server.S3VolumeStore;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import dev.shoal.it.apps.PodServerApp;
import dev.shoal.it.volume.S3Endpoint;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that keeps artifacts in S3 (s3proxy) hands its pods presigned URLs, so that they download their app's
 * classpath from the bucket rather than through the control plane; a download that fails falls back to the control
 * plane. A deployed app's warm container is a pod of the mock API server; its launcher's fetch
 * ({@link ArtifactCache}, what {@code RemoteContainerMain} runs in a pod) runs here with the pod's own credential.
 *
 * <p>One server serves every test, since deploying the test's classpath to it is most of the time a test takes;
 * each test fetches into a cache of its own and counts the bytes the control plane streams from its start. The
 * test that makes the bucket unreachable runs last.
 */
@EnableKubernetesMockClient(crud = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesArtifactUrlsTest {
  private static final String TOKEN = "k8s-urls-test-token-0123456789";
  private static final String NS = "shoal-it";
  private static final Duration WAIT = Duration.ofSeconds(60);

  static KubernetesClient client;
  @TempDir
  static Path dataDir;
  @TempDir
  static Path podCache;
  private S3Endpoint s3;
  private String storeUri;
  private ShoalServer server;
  private PodCredential pod;
  private final List<String> podLog = new CopyOnWriteArrayList<>();
  private long servedBefore;

  @BeforeAll
  void start() throws Exception {
    s3 = S3Endpoint.start();
    storeUri = s3.storeUri();
    Path kubeconfig = KubernetesServerTest.writeMockKubeconfig(dataDir.resolve("kubeconfig"),
        client.getConfiguration().getMasterUrl(), NS);
    server = ShoalServer.start(ServerOptions.defaults(dataDir.resolve("server")).withPort(0).withToken(TOKEN)
        .withVolumeStore(storeUri, Optional.of(s3.url()))
        .withKubernetes(KubernetesSettings.of("registry.example/shoal-runtime:1").withKubeconfig(kubeconfig)
            .withInstance("urls")));
    System.setProperty("shoal.server", server.address());
    System.setProperty("shoal.token", TOKEN);
    PodServerApp.app.deploy();
    pod = warmPod();
  }

  @BeforeEach
  void eachFromScratch() throws IOException {
    try (var cached = Files.list(podCache)) {
      for (Path p : cached.toList()) {
        Files.delete(p);
      }
    }
    podLog.clear();
    servedBefore = server.controlPlane().artifacts().servedBytes();
  }

  /** Bytes of artifacts the control plane streamed since the test began. */
  private long served() {
    return server.controlPlane().artifacts().servedBytes() - servedBefore;
  }

  @AfterAll
  void stop() throws Exception {
    System.clearProperty("shoal.server");
    System.clearProperty("shoal.token");
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (s3 != null) {
        s3.close();
      }
    }
  }

  @Test
  @Order(1)
  void podDownloadsItsClasspathFromTheBucketAndTheControlPlaneServesNoneOfIt() throws Exception {

    List<Path> fetched = new ArtifactCache(podCache, podLog::add)
        .fetch(server.address(), pod.containerId(), pod.token(), pod.artifacts());

    assertThat(fetched).hasSize(pod.artifacts().size());
    for (int i = 0; i < fetched.size(); i++) {
      assertThat(sha256(fetched.get(i))).isEqualTo(pod.artifacts().get(i));
    }
    assertThat(served()).as("bytes the control plane streamed").isZero();
    assertThat(podLog).isEmpty();
  }

  @Test
  @Order(2)
  void downloadThatFailsFallsBackToTheControlPlaneAndSaysWhy() throws Exception {
    String good = pod.artifacts().get(0);
    String spoiled = pod.artifacts().get(1);
    String after = pod.artifacts().get(2);
    try (S3VolumeStore bucket = S3VolumeStore.open(storeUri, Optional.of(s3.url()), Optional.empty())) {
      // The bucket's object no longer matches its name, as a URL to the wrong content would not either.
      bucket.put("artifacts/" + spoiled + ".jar", "not the artifact".getBytes(StandardCharsets.UTF_8));
    }

    List<Path> fetched = new ArtifactCache(podCache, podLog::add)
        .fetch(server.address(), pod.containerId(), pod.token(), List.of(good, spoiled, after));

    assertThat(fetched).extracting(KubernetesArtifactUrlsTest::sha256).containsExactly(good, spoiled, after);
    assertThat(served()).as("the first came from the bucket; the spoiled one and the rest were streamed")
        .isEqualTo(Files.size(fetched.get(1)) + Files.size(fetched.get(2)));
    assertThat(podLog).singleElement().satisfies(line -> assertThat(line)
        .startsWith("cannot download artifact " + spoiled + " from http://127.0.0.1:")
        .contains("hashes to").endsWith("fetching it and the rest of the classpath through the control plane")
        .doesNotContain("X-Amz-Signature"));
  }

  @Test
  @Order(3)
  void unreachableBucketFallsBackToTheControlPlane() throws Exception {
    List<String> two = pod.artifacts().subList(0, 2);
    s3.close();
    s3 = null;

    List<Path> fetched = new ArtifactCache(podCache, podLog::add)
        .fetch(server.address(), pod.containerId(), pod.token(), two);

    assertThat(fetched).extracting(KubernetesArtifactUrlsTest::sha256).containsExactlyElementsOf(two);
    assertThat(served()).isEqualTo(Files.size(fetched.get(0)) + Files.size(fetched.get(1)));
    assertThat(podLog).as("one failed download; the rest are not tried").singleElement()
        .satisfies(line -> assertThat(line).startsWith("cannot download artifact " + two.get(0))
            .endsWith("fetching it and the rest of the classpath through the control plane"));
  }

  /** What the warm container's pod holds: its id, its token (from its secret) and its classpath's hashes. */
  private record PodCredential(String containerId, String token, List<String> artifacts) {}

  private PodCredential warmPod() {
    await().atMost(WAIT).until(() -> client.pods().inNamespace(NS).withLabel("shoal.dev/app", "pod-server").list()
        .getItems().size() == 1);
    Pod pod = client.pods().inNamespace(NS).withLabel("shoal.dev/app", "pod-server").list().getItems().get(0);
    List<EnvVar> env = pod.getSpec().getContainers().get(0).getEnv();
    EnvVar tokenRef = env.stream().filter(e -> e.getName().equals("SHOAL_CONTAINER_TOKEN")).findFirst().orElseThrow();
    String secret = tokenRef.getValueFrom().getSecretKeyRef().getName();
    await().atMost(WAIT).until(() -> client.secrets().inNamespace(NS).withName(secret).get() != null);
    var made = client.secrets().inNamespace(NS).withName(secret).get();
    String key = tokenRef.getValueFrom().getSecretKeyRef().getKey();
    String token = made.getData() != null && made.getData().containsKey(key)
        ? new String(Base64.getDecoder().decode(made.getData().get(key)), StandardCharsets.UTF_8)
        : made.getStringData().get(key);
    String hashes = env.stream().filter(e -> e.getName().equals("SHOAL_ARTIFACTS")).findFirst().orElseThrow()
        .getValue();
    return new PodCredential(pod.getMetadata().getLabels().get("shoal.dev/container"), token,
        Arrays.asList(hashes.split(",")));
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
