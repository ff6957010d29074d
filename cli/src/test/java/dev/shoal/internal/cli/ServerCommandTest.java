package dev.shoal.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.backend.kubernetes.KubernetesOptions;
import dev.shoal.internal.server.KubernetesSettings;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ServerTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** {@code shoal server}'s flags, the one parser of a server's flags, down to the options the server starts with. */
class ServerCommandTest {
  private static ServerOptions options(String... args) {
    return ServerProcess.options(parse(args).flags());
  }

  private static ServerCommand parse(String... args) {
    return parse(Map.of(), args);
  }

  private static ServerCommand parse(Map<String, String> environment, String... args) {
    ServerCommand server = new ServerCommand();
    server.environment = environment::get;
    CommandLine command = new CommandLine(server);
    command.parseArgs(args);
    return command.getCommand();
  }

  @TempDir
  Path dir;

  @Test
  void theTokenComesFromAFileSoThatNoProcessListShowsIt() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "s3cret-token\n");

    assertThat(options("--token-file", file.toString()).token()).contains("s3cret-token");
    assertThatThrownBy(() -> options("--token-file", file.toString(), "--token", "t"))
        .hasMessageContaining("--token and --token-file");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> options("--token-file", empty.toString())).hasMessage("--token-file names " + empty
        + ", which is empty");
    assertThatThrownBy(() -> options("--token-file", dir.resolve("none").toString()))
        .hasMessageContaining("not a readable file").hasMessageNotContaining("s3cret");
  }

  @Test
  void theDatabaseUrlAndLoginComeFromTheEnvironmentOrAFile() throws Exception {
    ServerOptions fromEnv = ServerProcess.options(parse(Map.of("SHOAL_DATABASE_URL", "jdbc:postgresql://db/shoal",
        "SHOAL_DATABASE_USER", "shoal", "SHOAL_DATABASE_PASSWORD", "pw")).flags());
    assertThat(fromEnv.databaseUrl()).contains("jdbc:postgresql://db/shoal");
    assertThat(fromEnv.databaseLogin()).contains(new ServerOptions.DatabaseLogin("shoal", "pw"));

    Path password = Files.writeString(dir.resolve("password"), "from-file\n");
    ServerOptions fromFile = ServerProcess.options(parse(Map.of("SHOAL_DATABASE_PASSWORD", "pw"),
        "--database-url", "jdbc:postgresql://other/shoal", "--database-password-file", password.toString()).flags());
    assertThat(fromFile.databaseUrl()).contains("jdbc:postgresql://other/shoal");
    assertThat(fromFile.databaseLogin()).contains(new ServerOptions.DatabaseLogin(null, "from-file"));

    assertThatThrownBy(() -> parse(Map.of("SHOAL_DATABASE_PASSWORD", "pw")).flags())
        .hasMessageContaining("no database URL");
  }

  @Test
  void tlsNeedsACertificateAndItsKey() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "");
    Path key = Files.writeString(dir.resolve("key.pem"), "");

    assertThat(options("--tls-cert", cert.toString(), "--tls-key", key.toString()).tls())
        .contains(new ServerTls(cert, key));
    assertThat(options().tls()).isEmpty();
    assertThatThrownBy(() -> options("--tls-cert", cert.toString())).hasMessageContaining("go together");
    assertThatThrownBy(() -> options("--tls-cert", cert.toString(), "--tls-key", dir.resolve("no.pem").toString()))
        .hasMessageContaining("--tls-key names").hasMessageContaining("not a readable file");
  }

  @Test
  void withoutFlagsTheServerListensOnLoopbackAt7700WithItsDashboardOnTheNextPort() {
    ServerOptions options = options();

    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(7700);
    assertThat(options.httpPort()).isEqualTo(OptionalInt.of(7701));
    assertThat(options.dataDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".shoal", "server")
        .toAbsolutePath().normalize());
    assertThat(options.token()).isEmpty();
    assertThat(options.databaseUrl()).isEmpty();
    assertThat(options.maxContainers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(options.volumeStore()).isEmpty();
    assertThat(options.s3Endpoint()).isEmpty();
    assertThat(options.kubernetes()).isEmpty();
  }

  @Test
  void everyFlagReachesTheServersOptions() {
    ServerOptions options = options("--host", "0.0.0.0", "--port", "9000", "--http-port", "9100",
        "--data-dir", "relative/dir", "--database-url", "jdbc:postgresql://db/shoal", "--token", "t0k",
        "--max-containers", "3", "--volume-store", "s3://bucket/prefix", "--s3-endpoint", "http://minio:9000");

    assertThat(options.host()).isEqualTo("0.0.0.0");
    assertThat(options.port()).isEqualTo(9000);
    assertThat(options.httpPort()).isEqualTo(OptionalInt.of(9100));
    assertThat(options.dataDir()).isEqualTo(Path.of("relative", "dir").toAbsolutePath());
    assertThat(options.databaseUrl()).contains("jdbc:postgresql://db/shoal");
    assertThat(options.token()).contains("t0k");
    assertThat(options.maxContainers()).isEqualTo(3);
    assertThat(options.volumeStore()).contains("s3://bucket/prefix");
    assertThat(options.s3Endpoint()).contains("http://minio:9000");
  }

  @Test
  void kubernetesFlagsReachTheKubernetesSettings() {
    KubernetesSettings k8s = options("--backend", "kubernetes", "--kube-image", "img:1", "--kube-namespace", "ns",
        "--kubeconfig", "/k/config", "--kube-advertise", "shoal.ns.svc:7700", "--kube-gpu-label", "gpu",
        "--kube-cpu-limit", "request", "--kube-launcher-memory", "200", "--kube-instance", "team-a",
        "--kube-schedule-timeout", "5m")
        .kubernetes().orElseThrow();

    assertThat(k8s.image()).isEqualTo("img:1");
    assertThat(k8s.namespace()).contains("ns");
    assertThat(k8s.kubeconfig()).contains(Path.of("/k/config"));
    assertThat(k8s.advertisedAddress()).contains("shoal.ns.svc:7700");
    KubernetesOptions pods = k8s.options("ns", "shoal.ns.svc:7700", 4, "default-instance");
    assertThat(pods.instance()).isEqualTo("team-a");
    assertThat(pods.gpuLabel()).isEqualTo("gpu");
    assertThat(pods.cpuLimit()).isEqualTo(KubernetesOptions.CpuLimit.REQUEST);
    assertThat(pods.launcherMemoryMb()).isEqualTo(200);
    assertThat(pods.scheduleTimeout()).isEqualTo(java.time.Duration.ofMinutes(5));
  }

  @Test
  void withoutAnInstanceEachControlPlaneGetsItsOwnDefault() {
    KubernetesSettings k8s = options("--backend", "kubernetes", "--kube-image", "img:1").kubernetes().orElseThrow();

    assertThat(k8s.instance()).isEmpty();
    assertThat(k8s.options("ns", "shoal.ns.svc:7700", 4, "shoal-shoal").instance()).isEqualTo("shoal-shoal");
    assertThat(k8s.scheduleTimeout()).isEqualTo(KubernetesOptions.DEFAULT_SCHEDULE_TIMEOUT);
  }

  @Test
  void aFreeGrpcPortGetsAFreeDashboardPort() {
    assertThat(options("--port", "0").httpPort()).isEqualTo(OptionalInt.of(0));
    assertThat(options("--port", "65535").httpPort()).isEqualTo(OptionalInt.of(0));
  }

  @Test
  void badFlagsAreRefusedNamingTheRule() {
    assertThatThrownBy(() -> options("--port", "70000")).isInstanceOf(ParameterException.class)
        .hasMessage("--port must be 0..65535, was 70000");
    assertThatThrownBy(() -> options("--http-port", "-1")).hasMessage("--http-port must be 0..65535, was -1");
    assertThatThrownBy(() -> options("--max-containers", "0"))
        .hasMessage("--max-containers must be at least 1, was 0");
    assertThatThrownBy(() -> options("--s3-endpoint", "http://minio")).hasMessageContaining("s3:// --volume-store");
    assertThatThrownBy(() -> options("--backend", "docker")).hasMessageContaining("local or kubernetes");
    assertThatThrownBy(() -> options("--backend", "kubernetes")).hasMessageContaining("needs --kube-image");
    assertThatThrownBy(() -> options("--kube-namespace", "ns")).hasMessageContaining("need --backend kubernetes");
    assertThatThrownBy(() -> options("--kube-instance", "a")).hasMessageContaining("need --backend kubernetes");
    assertThatThrownBy(() -> options("--backend", "kubernetes", "--kube-image", "i", "--kube-instance", "Team_A"))
        .hasMessageContaining("an instance name is 1..63 characters of [a-z0-9-]");
    assertThatThrownBy(() -> options("--kube-schedule-timeout", "5m"))
        .hasMessageContaining("need --backend kubernetes");
    assertThatThrownBy(() -> options("--backend", "kubernetes", "--kube-image", "i", "--kube-schedule-timeout", "0s"))
        .hasMessageContaining("the schedule timeout must be 1 s..24 h");
    assertThatThrownBy(() -> options("--log-size", "12")).hasMessageContaining("at least 1k");
    assertThatThrownBy(() -> parse("--no-such-flag")).isInstanceOf(ParameterException.class);
  }
}
