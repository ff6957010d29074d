package dev.shoal.internal.server;

import dev.shoal.internal.backend.kubernetes.ControlPlaneOwner;
import dev.shoal.internal.backend.kubernetes.KubernetesBackend;
import dev.shoal.internal.backend.kubernetes.KubernetesOptions;
import dev.shoal.internal.backend.local.ProcessBackend;
import dev.shoal.internal.client.Channels;
import dev.shoal.internal.client.NetThreads;
import dev.shoal.internal.client.ServerTrust;
import dev.shoal.internal.controlplane.ArtifactStore;
import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.TokenAuthInterceptor;
import dev.shoal.internal.controlplane.blob.BlobStore;
import dev.shoal.internal.controlplane.secret.SecretBox;
import dev.shoal.internal.controlplane.secret.SecretShelf;
import dev.shoal.internal.controlplane.secret.Secrets;
import dev.shoal.internal.controlplane.volume.LocalVolumeStore;
import dev.shoal.internal.controlplane.volume.VolumeStore;
import dev.shoal.internal.controlplane.volume.Volumes;
import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.dashboard.Dashboard;
import dev.shoal.internal.embedded.GuardedServices;
import dev.shoal.internal.store.StateStore;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The control plane as a service: a gRPC port that clients and containers reach, a data directory that keeps
 * the token, the uploaded artifacts and the volumes (unless they are in S3) and (unless a database URL is given)
 * an embedded PostgreSQL. Restarting it with the same data directory keeps every app, call, result and artifact;
 * with S3 and a database URL, a new empty data directory does too (given the token).
 */
public final class ShoalServer implements AutoCloseable {
  private final ServerOptions options;
  private final String token;
  private final Database database;
  private final ControlPlane controlPlane;
  private final Volumes volumes;
  private final Server grpc;
  private final Dashboard dashboard;
  private final Readiness readiness;

  private ShoalServer(ServerOptions options, String token, Database database, ControlPlane controlPlane,
      Volumes volumes, Server grpc, Dashboard dashboard, Readiness readiness) {
    this.dashboard = dashboard;
    this.readiness = readiness;
    this.options = options;
    this.token = token;
    this.database = database;
    this.controlPlane = controlPlane;
    this.volumes = volumes;
    this.grpc = grpc;
  }

  /** Starts a server and returns once it accepts calls. */
  public static ShoalServer start(ServerOptions options) {
    return start(options, Clock.systemUTC());
  }

  public static ShoalServer start(ServerOptions options, Clock clock) {
    Channels.quietNetty();
    Path dataDir = options.dataDir();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
    }
    String token = options.token().orElseGet(() -> storedOrNewToken(dataDir));
    SecretBox secretBox = SecretBox.fromKeyFile(options.secretKeyFile().orElseGet(() -> secretKeyFile(dataDir)));
    // Before the database starts, so that a volume store that cannot be reached leaves no PostgreSQL behind.
    VolumeStore volumeStore = volumeStore(options);
    Volumes volumes = new Volumes(volumeStore, clock);
    Database database;
    try {
      database = Database.open(options.databaseUrl(), options.databaseLogin(), dataDir.resolve("postgres"));
    } catch (RuntimeException e) {
      volumes.close();
      throw e;
    }
    StateStore store = database.store();
    BlobStore blobs;
    try {
      blobs = blobStore(dataDir, volumeStore, clock, options.retention());
    } catch (RuntimeException e) {
      volumes.close();
      database.close();
      throw e;
    }
    ControlPlane controlPlane = new ControlPlane(clock, store, options.retention(), artifactStore(dataDir, volumeStore),
        options.kubernetes().isPresent() ? "kubernetes" : "processes", blobs);
    controlPlane.useSecrets(new Secrets(SecretShelf.of(store), secretBox, clock));
    // It listens before it recovers: a pod of its earlier life that reconnects meanwhile is told to try again.
    controlPlane.recoveryPending();
    Server grpc;
    Readiness readiness = new Readiness();
    try {
      NettyServerBuilder builder = NetThreads.serverOn(new InetSocketAddress(options.host(), options.port()))
          .maxInboundMessageSize(256 * 1024 * 1024);
      options.tls().ifPresent(tls -> builder.sslContext(tls.serverContext()));
      GuardedServices.of(controlPlane, volumes, blobs, new TokenAuthInterceptor(token, controlPlane))
          .forEach(builder::addService);
      // Outside the token's guard: probes and load balancers ask it without one.
      builder.addService(readiness.healthService());
      grpc = builder
          .build()
          .start();
    } catch (IOException | RuntimeException e) {
      controlPlane.close();
      volumes.close();
      database.close();
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new UncheckedIOException("cannot listen on " + options.host() + ":" + options.port(), (IOException) e);
    }
    Dashboard dashboard = null;
    try {
      controlPlane.addBackend(backend(options, grpc.getPort()));
      controlPlane.recover();
      if (options.httpPort().isPresent()) {
        dashboard = Dashboard.builder().controlPlane(controlPlane).volumes(volumes).token(token).clock(clock)
            .functionHistory(store.functionHistory())
            .host(options.host()).port(options.httpPort().getAsInt()).readiness(readiness::ready).start();
      }
      readiness.serving();
    } catch (RuntimeException e) {
      grpc.shutdownNow();
      controlPlane.close();
      volumes.close();
      database.close();
      throw e;
    }
    return new ShoalServer(options, token, database, controlPlane, volumes, grpc, dashboard, readiness);
  }

  private static ContainerBackend backend(ServerOptions options, int port) {
    Map<String, String> trust = options.tls().map(ServerTls::containerTrust)
        .orElseGet(() -> ServerTrust.containerEnvironment(Optional.empty(), Optional.empty()));
    if (options.kubernetes().isEmpty()) {
      return new ProcessBackend(options.host() + ":" + port, options.maxContainers(), trust);
    }
    KubernetesSettings k8s = options.kubernetes().get();
    Config config;
    try {
      config = k8s.kubeconfig().isPresent()
          ? Config.fromKubeconfig(java.nio.file.Files.readString(k8s.kubeconfig().get()))
          : Config.autoConfigure(null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the kubeconfig " + k8s.kubeconfig().get(), e);
    }
    // The server's own namespace, where its Service is, whether or not its pods go to another.
    String home = config.getNamespace() != null ? config.getNamespace() : "default";
    String namespace = k8s.namespace().orElse(home);
    String advertised = k8s.advertisedAddress().orElse("shoal." + home + ".svc:" + port);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    try {
      KubernetesOptions pods = k8s.options(namespace, advertised, options.maxContainers(),
          InstanceName.forThisProcess(home, options.dataDir())).withTrustEnv(trust);
      if (namespace.equals(home)) {
        // An owner in another namespace than its dependents is no owner at all to Kubernetes.
        pods = InstanceName.podOfThisProcess().flatMap(pod -> workloadOf(client, home, pod)).map(pods::withOwner)
            .orElse(pods);
      }
      return new KubernetesBackend(client, pods);
    } catch (RuntimeException e) {
      client.close();
      throw new IllegalStateException("cannot use Kubernetes at " + config.getMasterUrl() + " (namespace "
          + namespace + "): " + e.getMessage(), e);
    }
  }

  /**
   * The workload of this server's pod, which container pods then name as their owner; empty, with a warning, when
   * it cannot be read (a Role without rights on ReplicaSets and Deployments): pods are then owned by nothing, as
   * before, and deleting the Deployment leaves them to end with their control plane.
   */
  private static Optional<io.fabric8.kubernetes.api.model.OwnerReference> workloadOf(KubernetesClient client,
      String namespace, String pod) {
    try {
      return ControlPlaneOwner.of(client, namespace, pod);
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      System.getLogger(ShoalServer.class.getName()).log(System.Logger.Level.WARNING, "cannot find the workload of"
          + " pod " + pod + " to own container pods (" + e.getMessage() + "); they get no owner");
      return Optional.empty();
    }
  }

  /**
   * The uploaded artifacts: in the data directory, or, when volumes are in S3, in the same bucket with the data
   * directory as their cache, so that a server on a disk that does not last (a pod) keeps them too.
   */
  private static ArtifactStore artifactStore(Path dataDir, VolumeStore volumeStore) {
    return volumeStore instanceof S3VolumeStore s3
        ? new ArtifactStore(dataDir.resolve("artifacts"), s3.artifacts())
        : new ArtifactStore(dataDir.resolve("artifacts"));
  }

  /**
   * Large payloads: in the data directory, or, when volumes are in S3, in the same bucket (with uploads in progress
   * in the data directory), so that a spawn's argument survives a server on a disk that does not last.
   */
  private static BlobStore blobStore(Path dataDir, VolumeStore volumeStore, Clock clock, java.time.Duration retention) {
    return volumeStore instanceof S3VolumeStore s3
        ? BlobStore.archived(dataDir.resolve("blob-uploads"), s3.blobs(), clock, retention)
        : BlobStore.inDirectory(dataDir.resolve("blobs"), clock, retention);
  }

  private static VolumeStore volumeStore(ServerOptions options) {
    if (options.volumeStore().isEmpty()) {
      return new LocalVolumeStore(options.dataDir().resolve("volumes"));
    }
    String uri = options.volumeStore().get();
    if (uri.startsWith("s3://")) {
      S3VolumeStore store = S3VolumeStore.open(uri, options.s3Endpoint(), Optional.empty());
      // Asked once now, so that a wrong bucket, endpoint or credential stops the start rather than a later commit.
      try {
        store.exists("index/");
      } catch (RuntimeException e) {
        store.close();
        throw new IllegalStateException("cannot reach the volume store " + store.describe()
            + options.s3Endpoint().map(e2 -> " at " + e2).orElse("") + ": " + e.getMessage(), e);
      }
      return store;
    }
    if (options.s3Endpoint().isPresent()) {
      throw new IllegalArgumentException("--s3-endpoint applies to an s3:// volume store, not to " + uri);
    }
    return new LocalVolumeStore(Path.of(uri.startsWith("file://") ? uri.substring("file://".length()) : uri));
  }

  /**
   * The key that seals the server's secrets when {@code --secret-key-file} names none: the file
   * {@code SHOAL_SECRET_KEY_FILE} names (a mounted Kubernetes Secret, say), else {@code secret.key} in the data
   * directory, made on first start.
   */
  private static Path secretKeyFile(Path dataDir) {
    String configured = System.getenv("SHOAL_SECRET_KEY_FILE");
    return configured != null && !configured.isBlank() ? Path.of(configured) : dataDir.resolve("secret.key");
  }

  private static String storedOrNewToken(Path dataDir) {
    Path file = dataDir.resolve("token");
    try {
      if (Files.isRegularFile(file)) {
        return Files.readString(file).strip();
      }
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Files.writeString(file, token + "\n");
      try {
        Files.setPosixFilePermissions(file, Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system; the directory's own permissions protect it.
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the token in " + file, e);
    }
  }

  public int port() {
    return grpc.getPort();
  }

  public String address() {
    return options.host() + ":" + port();
  }

  /** Whether the gRPC port serves TLS: clients then reach it as {@code https://} {@link #address()}. */
  public boolean tls() {
    return options.tls().isPresent();
  }

  public String token() {
    return token;
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  /** The address of the dashboard, when the server serves one. */
  public java.util.Optional<String> dashboardUrl() {
    return java.util.Optional.ofNullable(dashboard).map(Dashboard::url);
  }

  /** Blocks until the server is shut down. */
  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  /** Whether the server has recovered and takes work, as its health service and {@code /readyz} say. */
  public boolean ready() {
    return readiness.ready();
  }

  @Override
  public void close() {
    readiness.stopping();
    if (dashboard != null) {
      dashboard.close();
    }
    grpc.shutdown();
    controlPlane.close();
    grpc.shutdownNow();
    volumes.close();
    database.close();
  }
}
