package dev.shoal.it.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.RunOptions;
import dev.shoal.internal.codec.Codec;
import dev.shoal.internal.server.S3VolumeStore;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import dev.shoal.it.apps.LargePayloadApp;
import dev.shoal.it.apps.LargePayloadApp.Parcel;
import dev.shoal.it.volume.S3Endpoint;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large payloads through a server on PostgreSQL that keeps its volumes, artifacts and blobs in an S3-compatible
 * bucket (s3proxy): a spawn whose argument is a blob survives the server's restart onto an empty data directory.
 */
class ServerLargePayloadTest {
  private static final String TOKEN = "large-payload-test-token-0123456789";
  private static final int MIB = 1 << 20;

  @TempDir
  Path firstDataDir;

  @TempDir
  Path secondDataDir;

  @TempDir
  Path work;

  private EmbeddedPostgres postgres;
  private S3Endpoint s3;
  private ShoalServer server;

  @BeforeEach
  void start() throws Exception {
    // Read when the app class loads: the same limit as the embedded tests of this app give it.
    System.setProperty("shoal.payload.maxBytes", Long.toString(LargePayloadApp.MAX_BYTES));
    postgres = EmbeddedPostgres.builder().start();
    s3 = S3Endpoint.start();
  }

  @AfterEach
  void stop() throws Exception {
    System.clearProperty("shoal.server");
    System.clearProperty("shoal.token");
    System.clearProperty("shoal.payload.maxBytes");
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

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  @Timeout(600)
  void spawnWithALargeArgumentSurvivesARestartOntoAnEmptyDataDirectory() throws Exception {
    String storeUri = s3.storeUri();
    startServer(firstDataDir, storeUri);
    byte[] argument = LargePayloadApp.pattern(5 * MIB + 11);
    Path gate = work.resolve("gate");
    String callId;
    try (AppRun run = LargePayloadApp.app.run(RunOptions.builder().detach(true).build())) {
      // A remote call first: argument and result through the server and the bucket, both ways.
      assertThat(LargePayloadApp.reverse.remote(new Parcel("", "", argument)))
          .isEqualTo(LargePayloadApp.reverse(argument));
      // Then a spawn that waits for the gate, which opens only once the server has restarted.
      callId = LargePayloadApp.reverse.spawn(new Parcel("", gate.toString(), argument)).id();
    }
    server.close();
    server = null;

    List<String> blobs;
    try (S3VolumeStore bucket = S3VolumeStore.open(storeUri, Optional.of(s3.url()), Optional.empty())) {
      blobs = bucket.list("blobs/");
    }
    // The spawned call's argument is kept in the bucket, where a new server finds it with no data directory.
    byte[] encoded = Codec.encode(new Parcel("", gate.toString(), argument));
    assertThat(blobs).contains("blobs/" + sha256(encoded) + ".blob");

    startServer(secondDataDir, storeUri);
    Files.writeString(gate, "open");
    byte[] result = FunctionCall.<byte[]>fromId(callId).get(Duration.ofMinutes(5));
    assertThat(result).isEqualTo(LargePayloadApp.reverse(argument));
    // Read again, as a spawned call's result may be: it stays until it expires.
    assertThat(FunctionCall.<byte[]>fromId(callId).get(Duration.ofMinutes(1))).isEqualTo(result);
  }
}
