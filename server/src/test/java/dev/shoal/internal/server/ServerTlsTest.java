package dev.shoal.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.AppRun;
import dev.shoal.internal.client.Channels;
import dev.shoal.internal.client.ServerTrust;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.ListAppsRequest;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that serves TLS, reached by clients that trust it, by clients that do not, and by its containers. */
class ServerTlsTest {
  private static final String TOKEN = "tls-test-token-0123456789";

  @TempDir
  static Path dir;

  private static TestCertificates certificates;
  private static ShoalServer server;

  @BeforeAll
  static void start() throws Exception {
    certificates = TestCertificates.create(dir);
    server = ShoalServer.start(ServerOptions.defaults(dir.resolve("data")).withPort(0).withHttpPort(0).withToken(TOKEN)
        .withTls(new ServerTls(certificates.chain(), certificates.key())));
  }

  @AfterAll
  static void stop() {
    System.clearProperty("shoal.server");
    System.clearProperty("shoal.token");
    System.clearProperty("shoal.tls.ca");
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aClientThatTrustsTheAuthorityRunsFunctionsInContainersThatVerifyTheServerToo() {
    System.setProperty("shoal.server", "https://localhost:" + server.port());
    System.setProperty("shoal.token", TOKEN);
    System.setProperty("shoal.tls.ca", certificates.ca().toString());

    try (AppRun run = TlsApp.app.run()) {
      assertThat(TlsApp.twice.remote(21)).isEqualTo(42);
    }
  }

  @Test
  void aPlaintextClientIsToldThatTheServerUsesTls() {
    assertThatThrownBy(() -> listApps(server.address(), ServerTrust.DEFAULT))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("FAILED_PRECONDITION")
        .hasMessageContaining("uses TLS (it was started with --tls-cert), and this client does not")
        .hasMessageContaining("https://" + server.address());
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsToldWhatToTrust() {
    assertThatThrownBy(() -> listApps("https://" + server.address(), ServerTrust.DEFAULT))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("FAILED_PRECONDITION")
        .hasMessageContaining("cannot verify the TLS certificate of the server at " + server.address())
        .hasMessageContaining("SHOAL_TLS_CA");
  }

  @Test
  void aClientThatTrustsTheAuthorityChecksTheCertificateAgainstTheNameItIsGiven() {
    ServerTrust wrongName = new ServerTrust(Optional.of(certificates.ca()), Optional.empty(),
        Optional.of("shoal.example.com"));
    assertThatThrownBy(() -> listApps(server.address(), wrongName))
        .hasMessageContaining("cannot verify the TLS certificate");

    ServerTrust rightName = new ServerTrust(Optional.of(certificates.ca()), Optional.empty(), Optional.of("localhost"));
    assertThat(listApps(server.address(), rightName)).isGreaterThanOrEqualTo(0);
  }

  @Test
  void aTlsClientIsToldThatAPlaintextServerDoesNotUseTls() throws Exception {
    Server plaintext = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).build().start();
    try {
      String address = "127.0.0.1:" + plaintext.getPort();
      assertThatThrownBy(() -> listApps("https://" + address, ServerTrust.DEFAULT))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("FAILED_PRECONDITION")
          .hasMessageContaining("the server at " + address + " does not use TLS");
    } finally {
      plaintext.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRecoveredServerReportsServingToProbesThatHaveNoToken() throws Exception {
    ManagedChannel channel = Channels.open(server.address(), null,
        new ServerTrust(Optional.of(certificates.ca()), Optional.empty(), Optional.empty()));
    try {
      HealthCheckResponse.ServingStatus status = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus();
      assertThat(status).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
    }
    // As a kubelet asks: by the pod's address, which the dashboard's own pages never use as their Host.
    URI dashboard = URI.create(server.dashboardUrl().orElseThrow());
    try (Socket socket = new Socket(dashboard.getHost(), dashboard.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write("GET /readyz HTTP/1.1\r\nHost: 10.1.2.3:7701\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(reply).startsWith("HTTP/1.1 200").contains("{\"ready\":true}");
    }
  }

  @Test
  void aClientJvmConfiguredByItsEnvironmentReachesTheServerAndPrintsNothingElse() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("client-token"), TOKEN + "\n");
    Path stderr = dir.resolve("client-stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), TlsClientMain.class.getName())
        .redirectError(stderr.toFile());
    builder.environment().putAll(Map.of("SHOAL_SERVER", "https://localhost:" + server.port(), "SHOAL_TOKEN_FILE",
        tokenFile.toString(), "SHOAL_TLS_CA", certificates.ca().toString(), "SHOAL_CONFIG",
        dir.resolve("no-config.toml").toString()));
    builder.environment().remove("SHOAL_TOKEN");
    Process client = builder.start();
    try {
      String stdout = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(stdout).matches("APPS \\d+\\R");
      assertThat(Files.readString(stderr)).isEmpty();
      assertThat(client.exitValue()).isZero();
    } finally {
      client.destroyForcibly();
    }
  }

  private static int listApps(String target, ServerTrust trust) {
    ManagedChannel channel = Channels.open(target, TOKEN, trust);
    try {
      return ClientServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
          .listApps(ListAppsRequest.getDefaultInstance()).getAppsCount();
    } finally {
      channel.shutdownNow();
    }
  }
}
