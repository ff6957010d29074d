package dev.shoal.it.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.RemoteFunction;
import dev.shoal.internal.client.ArtifactUploader;
import dev.shoal.internal.server.S3VolumeStore;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import dev.shoal.it.apps.ServerApp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that keeps volumes in S3 keeps uploaded artifacts there too, so that a new server on an empty data
 * directory (a control-plane pod with no persistent disk, restarted) runs what was deployed to the old one.
 */
class ServerS3ArtifactsTest {
  private static final String TOKEN = "artifacts-test-token-0123456789";

  @TempDir
  Path firstDataDir;

  @TempDir
  Path secondDataDir;

  private EmbeddedPostgres postgres;
  private S3Endpoint s3;
  private ShoalServer server;

  @BeforeEach
  void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    s3 = S3Endpoint.start();
  }

  @AfterEach
  void stop() throws Exception {
    System.clearProperty("shoal.server");
    System.clearProperty("shoal.token");
    if (server != null) {
      server.close();
    }
    s3.close();
    postgres.close();
  }

  private void startServer(Path dataDir, String storeUri) {
    server = ShoalServer.start(ServerOptions.defaults(dataDir).withPort(0).withToken(TOKEN)
        .withDatabaseUrl(postgres.getJdbcUrl("postgres", "postgres"))
        .withVolumeStore(storeUri, Optional.of(s3.url())));
    System.setProperty("shoal.server", server.address());
    System.setProperty("shoal.token", TOKEN);
  }

  @Test
  @Timeout(300)
  void deployedAppRunsOnANewServerWithAnEmptyDataDirectory() throws Exception {
    String storeUri = s3.storeUri();
    startServer(firstDataDir, storeUri);
    ServerApp.app.deploy();
    RemoteFunction<Integer, Integer> twice = RemoteFunction.fromName("server-app", "twice");
    assertThat(twice.remote(21)).isEqualTo(42);
    server.close();
    server = null;

    List<String> inBucket;
    try (S3VolumeStore bucket = S3VolumeStore.open(storeUri, Optional.of(s3.url()), Optional.empty())) {
      inBucket = bucket.list("artifacts/").stream().map(k -> k.substring("artifacts/".length())).sorted().toList();
    }
    assertThat(inBucket).isNotEmpty().allMatch(name -> name.matches("[0-9a-f]{64}\\.jar"));
    assertThat(jars(firstDataDir.resolve("artifacts"))).isEqualTo(inBucket);

    int uploads = ArtifactUploader.uploads();
    startServer(secondDataDir, storeUri);
    assertThat(RemoteFunction.<Integer, Integer>fromName("server-app", "twice").remote(4)).isEqualTo(8);

    // The client sent nothing: the new server's containers run from what it fetched from the bucket.
    assertThat(ArtifactUploader.uploads()).isEqualTo(uploads);
    assertThat(jars(secondDataDir.resolve("artifacts"))).isEqualTo(inBucket);
  }

  private static List<String> jars(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
    }
  }
}
