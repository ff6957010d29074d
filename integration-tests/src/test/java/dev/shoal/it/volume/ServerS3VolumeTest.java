package dev.shoal.it.volume;

import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes on a server (embedded PostgreSQL, process containers) that keeps them in S3: the containers reach them
 * through the server only, with no S3 credentials of their own.
 */
class ServerS3VolumeTest extends VolumeMountContract {
  private static final String TOKEN = "volume-test-token-0123456789";

  @TempDir
  static Path dataDir;

  private static S3Endpoint s3;
  private static ShoalServer server;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Endpoint.start();
    // Room for every function's container at once, as the embedded engine's tests have: otherwise an idle
    // reader would give way to a writer, and a test that checks what one container sees would see another.
    server = ShoalServer.start(ServerOptions.defaults(dataDir).withPort(0).withToken(TOKEN).withMaxContainers(4)
        .withVolumeStore(s3.storeUri(), Optional.of(s3.url())));
    System.setProperty("shoal.server", server.address());
    System.setProperty("shoal.token", TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty("shoal.server");
    System.clearProperty("shoal.token");
    server.close();
    s3.close();
  }
}
