package dev.shoal.internal.server;

import dev.shoal.internal.backend.kubernetes.KubernetesOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a server runs.
 *
 * @param port the gRPC port; 0 picks a free one
 * @param dataDir where the token, artifacts and the embedded database live
 * @param databaseUrl a PostgreSQL JDBC URL; empty starts an embedded PostgreSQL in the data directory
 * @param token the token clients must present; empty reads or generates one in the data directory
 * @param retention how long finished calls' results are kept
 * @param maxContainers the most containers at once: processes on this machine, or pods
 * @param volumeStore where volumes live: {@code s3://BUCKET[/PREFIX]}, or empty for {@code volumes} in the data
 *     directory; an {@code s3://} store keeps the uploaded artifacts too, and the data directory caches them
 * @param s3Endpoint the URL of an S3-compatible service for an {@code s3://} volume store; empty for AWS itself
 * @param kubernetes how containers run as Kubernetes pods; empty for local processes
 * @param httpPort the port of the dashboard and its metrics; 0 picks a free one, empty serves no dashboard
 * @param tls the certificate and key the gRPC port serves TLS with; empty for plaintext
 * @param databaseLogin the user and password for {@code databaseUrl}, when they are not in it (where any user of the
 *     machine could read them in the process list)
 */
public record ServerOptions(String host, int port, Path dataDir, Optional<String> databaseUrl,
    Optional<String> token, Duration retention, int maxContainers, Optional<String> volumeStore,
    Optional<String> s3Endpoint, Optional<KubernetesSettings> kubernetes, OptionalInt httpPort,
    Optional<ServerTls> tls, Optional<DatabaseLogin> databaseLogin) {
  public static final int DEFAULT_PORT = 7700;

  /** A database user and its password, either of them null to leave it to the URL or the driver's default. */
  public record DatabaseLogin(String user, String password) {}

  public static ServerOptions defaults(Path dataDir) {
    return new ServerOptions("127.0.0.1", DEFAULT_PORT, dataDir, Optional.empty(), Optional.empty(),
        Duration.ofDays(7), Runtime.getRuntime().availableProcessors(), Optional.empty(), Optional.empty(),
        Optional.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty());
  }

  /** Serves gRPC over TLS with this certificate and key. */
  public ServerOptions withTls(ServerTls tls) {
    return new ServerOptions(host, port, dataDir, databaseUrl, token, retention, maxContainers, volumeStore,
        s3Endpoint, kubernetes, httpPort, Optional.of(tls), databaseLogin);
  }

  /** Logs in to the database as {@code user} with {@code password} (either null to leave it to the URL). */
  public ServerOptions withDatabaseLogin(String user, String password) {
    return new ServerOptions(host, port, dataDir, databaseUrl, token, retention, maxContainers, volumeStore,
        s3Endpoint, kubernetes, httpPort, tls, Optional.of(new DatabaseLogin(user, password)));
  }

  public ServerOptions withPort(int port) {
    return new ServerOptions(host, port, dataDir, databaseUrl, token, retention, maxContainers, volumeStore,
        s3Endpoint, kubernetes, httpPort, tls, databaseLogin);
  }

  public ServerOptions withToken(String token) {
    return new ServerOptions(host, port, dataDir, databaseUrl, Optional.of(token), retention, maxContainers,
        volumeStore, s3Endpoint, kubernetes, httpPort, tls, databaseLogin);
  }

  public ServerOptions withDatabaseUrl(String url) {
    return new ServerOptions(host, port, dataDir, Optional.of(url), token, retention, maxContainers, volumeStore,
        s3Endpoint, kubernetes, httpPort, tls, databaseLogin);
  }

  public ServerOptions withHost(String host) {
    return new ServerOptions(host, port, dataDir, databaseUrl, token, retention, maxContainers, volumeStore,
        s3Endpoint, kubernetes, httpPort, tls, databaseLogin);
  }

  public ServerOptions withDataDir(Path dataDir) {
    return new ServerOptions(host, port, dataDir, databaseUrl, token, retention, maxContainers, volumeStore,
        s3Endpoint, kubernetes, httpPort, tls, databaseLogin);
  }

  /** Volumes in S3-compatible storage at {@code uri} ({@code s3://BUCKET[/PREFIX]}), reached at {@code endpoint}. */
  public ServerOptions withVolumeStore(String uri, Optional<String> endpoint) {
    return new ServerOptions(host, port, dataDir, databaseUrl, token, retention, maxContainers, Optional.of(uri),
        endpoint, kubernetes, httpPort, tls, databaseLogin);
  }

  /** Serves the dashboard and metrics on {@code port}; 0 picks a free one. */
  public ServerOptions withHttpPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the HTTP port must be 0..65535, was " + port);
    }
    return new ServerOptions(host, this.port, dataDir, databaseUrl, token, retention, maxContainers, volumeStore,
        s3Endpoint, kubernetes, OptionalInt.of(port), tls, databaseLogin);
  }

  public ServerOptions withMaxContainers(int maxContainers) {
    return new ServerOptions(host, port, dataDir, databaseUrl, token, retention, maxContainers, volumeStore,
        s3Endpoint, kubernetes, httpPort, tls, databaseLogin);
  }

  /** Containers as pods on Kubernetes rather than processes on this machine. */
  public ServerOptions withKubernetes(KubernetesSettings kubernetes) {
    return new ServerOptions(host, port, dataDir, databaseUrl, token, retention, maxContainers, volumeStore,
        s3Endpoint, Optional.of(kubernetes), httpPort, tls, databaseLogin);
  }

  /**
   * Applies {@code --backend} and the {@code --kube-*} flags (null where not given), which only the kubernetes
   * backend takes.
   */
  public ServerOptions withBackend(String backend, String image, String namespace, String kubeconfig,
      String advertise, String gpuLabel, String cpuLimit, String launcherMemory, String podTemplate) {
    switch (backend) {
      case "local" -> {
        if (image != null || namespace != null || kubeconfig != null || advertise != null || gpuLabel != null
            || cpuLimit != null || launcherMemory != null || podTemplate != null) {
          throw new IllegalArgumentException("--kube-image, --kube-namespace, --kubeconfig, --kube-advertise,"
              + " --kube-gpu-label, --kube-cpu-limit, --kube-launcher-memory and --kube-pod-template apply to"
              + " --backend kubernetes only");
        }
        return this;
      }
      case "kubernetes" -> {
        KubernetesSettings k8s = KubernetesSettings.of(image);
        if (namespace != null) {
          k8s = k8s.withNamespace(namespace);
        }
        if (kubeconfig != null) {
          k8s = k8s.withKubeconfig(Path.of(kubeconfig));
        }
        if (advertise != null) {
          k8s = k8s.withAdvertisedAddress(advertise);
        }
        if (gpuLabel != null) {
          k8s = k8s.withGpuLabel(gpuLabel);
        }
        if (cpuLimit != null) {
          k8s = k8s.withCpuLimit(KubernetesOptions.CpuLimit.parse(cpuLimit));
        }
        if (launcherMemory != null) {
          k8s = k8s.withLauncherMemoryMb(launcherMemoryMb(launcherMemory));
        }
        if (podTemplate != null) {
          k8s = k8s.withPodTemplate(Path.of(podTemplate));
        }
        return withKubernetes(k8s);
      }
      default -> throw new IllegalArgumentException("--backend must be local or kubernetes, was '" + backend + "'");
    }
  }

  /** {@code --kube-instance}, which only the kubernetes backend takes. */
  public ServerOptions withKubeInstance(String instance) {
    if (kubernetes.isEmpty()) {
      throw new IllegalArgumentException("--kube-instance applies to --backend kubernetes only");
    }
    return withKubernetes(kubernetes.get().withInstance(instance));
  }

  /** {@code --kube-schedule-timeout}, which only the kubernetes backend takes. */
  public ServerOptions withKubeScheduleTimeout(Duration scheduleTimeout) {
    if (kubernetes.isEmpty()) {
      throw new IllegalArgumentException("--kube-schedule-timeout applies to --backend kubernetes only");
    }
    return withKubernetes(kubernetes.get().withScheduleTimeout(scheduleTimeout));
  }

  private static int launcherMemoryMb(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--kube-launcher-memory must be a number of MiB such as 128, was '" + value
          + "'");
    }
  }
}
