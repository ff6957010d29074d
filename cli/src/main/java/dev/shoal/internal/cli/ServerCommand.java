package dev.shoal.internal.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code shoal server}: the control plane as a service, until the process is stopped. Its one line of output once
 * ready, "Shoal server listening on HOST:PORT", is what scripts and tests wait for.
 *
 * <p>The one parser of a server's flags: scripts and tests start a server with {@code ShoalCli server ...} too.
 * Nothing in this class names a server type: picocli reflects on it for every command, and the server's classes
 * are only on the classpath of {@code shoal server} ({@link ServerProcess} turns the flags into the server's
 * options and runs it).
 */
@Command(name = "server", description = {
    "Run a Shoal server until stopped.",
    "Apps, calls and results live in PostgreSQL; containers are local processes",
    "or Kubernetes pods (--backend kubernetes, see docs/kubernetes.md);",
    "volumes are in the data directory or in S3 (--volume-store).",
    "Restarting it with the same data directory keeps every app, call and result.",
    "On first start it generates a token and keeps it in the data directory.",
    "With --tls-cert and --tls-key it serves TLS (see docs/SECURITY.md)."})
final class ServerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "7700",
      description = "the gRPC port; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--http-port", paramLabel = "N", description = {
      "the port of the dashboard and of Prometheus metrics at /metrics; 0 picks a free one",
      "(default: the gRPC port + 1, or a free one when --port is 0)"})
  Integer httpPort;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "the address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "where the token, artifacts and the embedded database live (default: ~/.shoal/server)")
  Path dataDir;

  @Option(names = "--database-url", paramLabel = "URL", description = {
      "a PostgreSQL JDBC URL (default: SHOAL_DATABASE_URL); without one an embedded PostgreSQL runs in the data",
      "directory. Keep the password out of it, where the process list shows it: SHOAL_DATABASE_USER and",
      "SHOAL_DATABASE_PASSWORD, or --database-password-file, give the login"})
  String databaseUrl;

  @Option(names = "--database-password-file", paramLabel = "FILE",
      description = "a file holding the database password (default: SHOAL_DATABASE_PASSWORD)")
  Path databasePasswordFile;

  @Option(names = "--token", paramLabel = "TOKEN", description = {
      "the token clients must present; without it (or --token-file) one is generated and kept in the data",
      "directory. Prefer --token-file: the process list shows every argument"})
  String token;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "a file holding the token clients must present, such as a mounted Kubernetes Secret")
  Path tokenFile;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = {
      "serve gRPC over TLS with this certificate chain (PEM, the server's certificate first); needs --tls-key.",
      "Clients then use https://HOST:PORT, and SHOAL_TLS_CA if the JDK does not trust its authority"})
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "the private key of --tls-cert (PEM, PKCS#8, unencrypted)")
  Path tlsKey;

  @Option(names = "--max-containers", paramLabel = "N",
      description = "the most container processes at once (default: the number of cores)")
  Integer maxContainers;

  @Option(names = "--backend", defaultValue = "local",
      description = "where containers run: local processes (default) or kubernetes pods")
  String backend;

  @Option(names = "--kube-image", paramLabel = "IMAGE",
      description = "with --backend kubernetes: the runtime image container pods run")
  String kubeImage;

  @Option(names = "--kube-namespace", paramLabel = "NS", description = {
      "with --backend kubernetes: where pods go (default: the kubeconfig's namespace, or the server's own",
      "when it runs in a pod)"})
  String kubeNamespace;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = {
      "with --backend kubernetes: the cluster to use (default: in-cluster configuration in a pod, else",
      "KUBECONFIG or ~/.kube/config)"})
  String kubeconfig;

  @Option(names = "--kube-advertise", paramLabel = "HOST:PORT", description = {
      "with --backend kubernetes: where pods reach this server (default: shoal.NAMESPACE.svc and --port,",
      "the Service that deploy/kubernetes makes)"})
  String kubeAdvertise;

  @Option(names = "--kube-gpu-label", paramLabel = "LABEL", description = {
      "with --backend kubernetes: the node label whose value a function's GPU type must equal (default:",
      "nvidia.com/gpu.product, which NVIDIA's GPU feature discovery sets); empty selects no nodes by type"})
  String kubeGpuLabel;

  @Option(names = "--kube-cpu-limit", paramLabel = "none|request", description = {
      "with --backend kubernetes: none (default) gives pods only a CPU request, so a JVM may use idle CPU;",
      "request limits them to it, as a ResourceQuota on limits.cpu needs"})
  String kubeCpuLimit;

  @Option(names = "--kube-launcher-memory", paramLabel = "MIB", description = {
      "with --backend kubernetes: the memory a pod gets for the runtime image's launcher JVM, beside the",
      "function's memoryMb (default: 128, measured for deploy/docker/runtime.Dockerfile)"})
  String kubeLauncherMemory;

  @Option(names = "--kube-pod-template", paramLabel = "FILE", description = {
      "with --backend kubernetes: a pod (YAML or JSON) every container pod starts from, for tolerations,",
      "node affinity, imagePullSecrets, a priority class, a service account, labels and annotations;",
      "Shoal's own fields, security context and resources win (see docs/kubernetes.md)"})
  String kubePodTemplate;

  @Option(names = "--kube-instance", paramLabel = "NAME", description = {
      "with --backend kubernetes: the label value that marks this control plane's pods, the only ones it may",
      "delete (default: in a pod, its namespace and Deployment's name, e.g. shoal-shoal; elsewhere local-,",
      "a hash of the data directory and the host's name). Unique per control plane, kept across restarts"})
  String kubeInstance;

  @Option(names = "--kube-schedule-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = {
          "with --backend kubernetes: how long a pod may find no node (Unschedulable) before its container's",
          "start fails with the scheduler's reason, e.g. 5m (default: 3m, time for a cluster autoscaler to add",
          "a node); a pod whose image cannot be pulled fails its start at once"})
  Duration kubeScheduleTimeout;

  @Option(names = "--volume-store", paramLabel = "URI", description = {
      "where volumes live: s3://BUCKET[/PREFIX] for S3 or an S3-compatible service (credentials from the",
      "standard AWS chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, an instance role), or a",
      "directory (default: volumes in the data directory); an s3:// store keeps uploaded artifacts too, under",
      "artifacts/, and the data directory only caches them"})
  String volumeStore;

  @Option(names = "--s3-endpoint", paramLabel = "URL",
      description = "the URL of an S3-compatible service (MinIO, R2…) for an s3:// volume store")
  String s3Endpoint;
  @Option(names = "--log-size", paramLabel = "SIZE", description = {
      "how much of each app's log the server keeps in memory, e.g. 512k or 8m (default: 8m);",
      "older lines are dropped first, and logs do not survive a restart"})
  String logSize;

  /** Where {@code SHOAL_DATABASE_*} are read; a test gives its own. */
  Function<String, String> environment = System::getenv;

  @Override
  public Integer call() throws InterruptedException {
    ServerProcess.Flags flags = flags();
    if (logSize != null) {
      // The control plane reads its log budget when it starts, which happens in this JVM.
      System.setProperty("shoal.logs.bytesPerApp", Long.toString(bytes(logSize)));
    }
    try {
      ServerProcess.serve(flags);
    } catch (NoClassDefFoundError e) {
      throw CliException.failed("the server is not on this JVM's classpath (" + e.getMessage() + "): run `shoal"
          + " server` through the launcher, which adds cli/target/server-only-classpath.txt");
    }
    return ExitCodes.OK;
  }

  /** The flags as parsed, checked against the rules their help states, with each default applied. */
  ServerProcess.Flags flags() {
    if (!backend.equals("local") && !backend.equals("kubernetes")) {
      throw new ParameterException(spec.commandLine(), "--backend must be local or kubernetes, was " + backend);
    }
    if (backend.equals("kubernetes") && kubeImage == null) {
      throw new ParameterException(spec.commandLine(), "--backend kubernetes needs --kube-image, the runtime image"
          + " container pods run");
    }
    if (backend.equals("local")
        && (kubeImage != null || kubeNamespace != null || kubeconfig != null || kubeAdvertise != null
            || kubeGpuLabel != null || kubeCpuLimit != null || kubeLauncherMemory != null
            || kubePodTemplate != null || kubeInstance != null || kubeScheduleTimeout != null)) {
      throw new ParameterException(spec.commandLine(), "--kube-image, --kube-namespace, --kubeconfig,"
          + " --kube-advertise, --kube-gpu-label, --kube-cpu-limit, --kube-launcher-memory, --kube-pod-template,"
          + " --kube-instance and --kube-schedule-timeout need --backend kubernetes");
    }
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0..65535, was " + port);
    }
    if (httpPort != null && (httpPort < 0 || httpPort > 65535)) {
      throw new ParameterException(spec.commandLine(), "--http-port must be 0..65535, was " + httpPort);
    }
    int dashboardPort = httpPort != null ? httpPort : port == 0 || port == 65535 ? 0 : port + 1;
    if (maxContainers != null && maxContainers < 1) {
      throw new ParameterException(spec.commandLine(), "--max-containers must be at least 1, was " + maxContainers);
    }
    if (s3Endpoint != null && (volumeStore == null || !volumeStore.startsWith("s3://"))) {
      throw new ParameterException(spec.commandLine(), "--s3-endpoint needs an s3:// --volume-store");
    }
    if (logSize != null) {
      bytes(logSize);
    }
    if (token != null && tokenFile != null) {
      throw new ParameterException(spec.commandLine(), "--token and --token-file are two ways to give the one token:"
          + " give one");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together: give both or neither");
    }
    if (tlsCert != null) {
      readable(tlsCert, "--tls-cert");
      readable(tlsKey, "--tls-key");
    }
    String url = databaseUrl != null ? databaseUrl : variable("SHOAL_DATABASE_URL");
    String user = variable("SHOAL_DATABASE_USER");
    String password = databasePasswordFile != null ? secret(databasePasswordFile, "--database-password-file")
        : variable("SHOAL_DATABASE_PASSWORD");
    if (url == null && (user != null || password != null)) {
      throw new ParameterException(spec.commandLine(), "a database user or password is given (SHOAL_DATABASE_USER,"
          + " SHOAL_DATABASE_PASSWORD or --database-password-file) but no database URL: give --database-url or"
          + " SHOAL_DATABASE_URL");
    }
    Path dir = (dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".shoal", "server"))
        .toAbsolutePath().normalize();
    return new ServerProcess.Flags(host, port, dashboardPort, dir, url, user, password,
        tokenFile != null ? secret(tokenFile, "--token-file") : token, maxContainers, volumeStore, s3Endpoint,
        tlsCert, tlsKey, new ServerProcess.Backend(backend, kubeImage, kubeNamespace, kubeconfig, kubeAdvertise,
            kubeGpuLabel, kubeCpuLimit, kubeLauncherMemory, kubePodTemplate, kubeInstance, kubeScheduleTimeout));
  }

  private String variable(String name) {
    String value = environment.apply(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private void readable(Path file, String flag) {
    if (!Files.isReadable(file)) {
      throw new ParameterException(spec.commandLine(), flag + " names " + file + ", which is not a readable file");
    }
  }

  /** A file's content without its line end, for a secret that a flag names; the secret itself is never shown. */
  private String secret(Path file, String flag) {
    readable(file, flag);
    String value;
    try {
      value = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), flag + " names " + file + ", which cannot be read: "
          + e.getMessage());
    }
    if (value.isEmpty()) {
      throw new ParameterException(spec.commandLine(), flag + " names " + file + ", which is empty");
    }
    return value;
  }

  private long bytes(String size) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12})([kmg]?)i?b?")
        .matcher(size.strip().toLowerCase(java.util.Locale.ROOT));
    if (!m.matches()) {
      throw new ParameterException(spec.commandLine(), "--log-size must be a size such as 512k or 8m, was " + size);
    }
    long n = Long.parseLong(m.group(1)) << switch (m.group(2)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      default -> 0;
    };
    if (n < 1024) {
      throw new ParameterException(spec.commandLine(), "--log-size must be at least 1k, was " + size);
    }
    return n;
  }
}
