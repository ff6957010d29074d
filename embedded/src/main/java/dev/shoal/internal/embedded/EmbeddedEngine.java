package dev.shoal.internal.embedded;

import dev.shoal.internal.backend.local.ProcessBackend;
import dev.shoal.internal.backend.local.ThreadBackend;
import dev.shoal.internal.client.Channels;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.ExitHooks;
import dev.shoal.internal.client.NetThreads;
import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.blob.BlobStore;
import dev.shoal.internal.controlplane.secret.SecretBox;
import dev.shoal.internal.controlplane.secret.SecretDirectory;
import dev.shoal.internal.controlplane.secret.Secrets;
import dev.shoal.internal.controlplane.TokenAuthInterceptor;
import dev.shoal.internal.controlplane.volume.LocalVolumeStore;
import dev.shoal.internal.controlplane.volume.Volumes;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import dev.shoal.internal.store.memory.MemoryStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;

/**
 * The control plane inside the caller's JVM, started on first use and shared by every run in it. The caller
 * reaches it over gRPC's in-process transport; container processes reach it over loopback TCP; thread
 * containers over the in-process transport too. It is the same protocol either way.
 *
 * <p>Every call on either transport passes the same {@link TokenAuthInterceptor} as a server's. The caller's JVM
 * holds the engine's secret, 256 random bits made at start that never leave this JVM (not in a file, an argument
 * or a container's environment); each container holds only its own credential, handed to it in its environment,
 * which dies with it and reaches only what {@link dev.shoal.internal.controlplane.ContainerScope} allows. Another
 * process on the machine, which can connect to the loopback port, has neither: every method answers it
 * UNAUTHENTICATED, and nothing runs.
 *
 * <p>Why loopback TCP and not a Unix domain socket in a 0700 directory, which would keep other users from even
 * connecting: Netty's domain sockets on the pure-Java NIO transport do work without the native epoll library (which
 * JDK 24 and later warn about, see {@link Channels#quietNetty}), and a unary call was no slower over one (median
 * 56 µs against 82 µs over loopback TCP, 18 alternating rounds of 5,000 calls, on the shared build machine). But
 * grpc-netty 1.85.1 sets SO_KEEPALIVE on every channel, which NIO domain sockets do not support, and Netty logs a
 * WARNING for each connection: in the user's JVM once per container, and in every container. Silencing it would
 * mean changing the logging configuration of the user's JVM. With the secret, a connection from another user gets
 * no further than a refusal, so the socket's permissions would add little; TCP also keeps one code path with a
 * server.
 */
public final class EmbeddedEngine {
  private static EmbeddedEngine instance;

  private final String inProcessName = "shoal-embedded-" + UUID.randomUUID();
  /** This engine's secret: whoever sends it may do anything, so it never leaves this JVM. */
  private final String secret = newSecret();
  private final ControlPlane controlPlane;
  private final Server inProcessServer;
  private final Server tcpServer;
  private final ProcessBackend processes;
  private final Volumes volumes;
  private final BlobStore blobs;
  /** Guarded by this; made by the first run that asks for the dashboard. */
  private EmbeddedDashboard dashboard;

  private EmbeddedEngine() {
    Channels.quietNetty();
    // The engine ends with the caller's JVM, and so does everything it would store.
    // Large payloads live in a directory of this engine's own, which goes with it.
    blobs = BlobStore.temporary(Clock.systemUTC(), Duration.ofDays(7));
    controlPlane = new ControlPlane(Clock.systemUTC(), new MemoryStore(), Duration.ofDays(7), null, "processes",
        blobs);
    // Volumes and secrets, unlike runs, outlive the caller: they are files under the user's Shoal directory.
    volumes = new Volumes(new LocalVolumeStore(volumeDirectory()), Clock.systemUTC());
    Path secretDir = secretDirectory();
    controlPlane.useSecrets(new Secrets(new SecretDirectory(secretDir), SecretBox.lazilyFromKeyFile(secretDir.resolve(".key")),
        Clock.systemUTC()));
    // The same services for both transports, so that what a container made over TCP (its calls on other apps'
    // deployed functions) is known to it over either.
    List<ServerServiceDefinition> services = GuardedServices.of(controlPlane, volumes, blobs,
        TokenAuthInterceptor.embedded(secret, controlPlane));
    try {
      InProcessServerBuilder inProcess = InProcessServerBuilder.forName(inProcessName).directExecutor();
      services.forEach(inProcess::addService);
      inProcessServer = inProcess.build().start();
      // Container messages are handled on the transport's own threads rather than handed to an executor: the
      // handlers only update memory and never wait (a stop, which waits for containers to go, waits on a thread
      // of its own), and the hop to an executor and back cost about 15% of the CPU of a map.
      NettyServerBuilder tcp = NetThreads.serverOn(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
          .directExecutor()
          .maxInboundMessageSize(256 * 1024 * 1024);
      services.forEach(tcp::addService);
      tcpServer = tcp.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded Shoal engine", e);
    }
    String tcpTarget = InetAddress.getLoopbackAddress().getHostAddress() + ":" + tcpServer.getPort();
    int cores = Runtime.getRuntime().availableProcessors();
    processes = new ProcessBackend(tcpTarget, configuredCapacity(cores));
    controlPlane.addBackend(processes);
    controlPlane.addBackend(new ThreadBackend(Channels.IN_PROCESS_PREFIX + inProcessName, configuredCapacity(cores * 8)));
    // Through ExitHooks, which ends the network threads once this is done with them.
    ExitHooks.add("shoal-embedded-shutdown", this::shutdown);
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The engine of this JVM, started on first use. */
  public static synchronized EmbeddedEngine get() {
    if (instance == null) {
      instance = new EmbeddedEngine();
    }
    return instance;
  }

  /**
   * How many containers may run at once on this machine: {@code SHOAL_MAX_CONTAINERS} or the system property
   * {@code shoal.maxContainers}, else {@code fallback}.
   */
  static int configuredCapacity(int fallback) {
    String configured = System.getProperty("shoal.maxContainers", System.getenv("SHOAL_MAX_CONTAINERS"));
    if (configured == null || configured.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(configured.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "SHOAL_MAX_CONTAINERS must be a whole number of at least 1, was '" + configured + "'");
    }
  }

  /**
   * Where the embedded engine keeps volumes: {@code SHOAL_VOLUMES_DIR} or the system property
   * {@code shoal.volumesDir}, else {@code ~/.shoal/volumes}, so that every process of the user sees the same ones.
   */
  static Path volumeDirectory() {
    String configured = System.getProperty("shoal.volumesDir", System.getenv("SHOAL_VOLUMES_DIR"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".shoal", "volumes");
  }

  /**
   * Where the embedded engine keeps secrets: {@code SHOAL_SECRETS_DIR} or the system property
   * {@code shoal.secretsDir}, else {@code ~/.shoal/secrets}; the directory and its files are the user's alone.
   */
  static Path secretDirectory() {
    String configured = System.getProperty("shoal.secretsDir", System.getenv("SHOAL_SECRETS_DIR"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".shoal", "secrets");
  }

  public EngineConnection connect() {
    return new EngineConnection(Channels.open(Channels.IN_PROCESS_PREFIX + inProcessName, secret),
        "the embedded engine");
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  /**
   * Serves the dashboard, started on first use, until the engine closes, and returns its address. Reading it needs
   * a login as much as acting does, since the apps, logs and volume files it shows are the user's: the engine
   * prints one address carrying a one-time login (on stderr, which only the user sees), and the page can ask for
   * another one to be printed there after its session ends. The token is made for this engine and printed nowhere.
   *
   * @throws IllegalStateException if the dashboard's artifact is not on the classpath, naming it
   */
  public String serveDashboard() {
    return dashboard().serve();
  }

  /**
   * Serves the dashboard, as {@link #serveDashboard} does, for one run: it closes when the last run using it ends,
   * unless a run asked with {@code keepAfter} for it to stay open until the JVM is stopped. The action returned
   * ends this run's use of it.
   */
  public Runnable openDashboardForRun(boolean keepAfter) {
    return dashboard().openForRun(keepAfter);
  }

  private synchronized EmbeddedDashboard dashboard() {
    if (dashboard == null) {
      DashboardProvider provider = dashboardProvider().orElseThrow(() -> new IllegalStateException(
          "the run asks for the dashboard (RunOptions.dashboard, SHOAL_DASHBOARD or shoal.dashboard), but it is not"
              + " on the classpath: add the artifact " + DashboardProvider.ARTIFACT + ", of the same version as"
              + " dev.shoal:shoal, to the application's dependencies"));
      String host = InetAddress.getLoopbackAddress().getHostAddress();
      int port = configuredDashboardPort();
      dashboard = new EmbeddedDashboard(
          token -> provider.serve(controlPlane, volumes, token, host, port,
              link -> printDashboardLine(link + " (a new login link, as the page asked; it works once)")),
          EmbeddedEngine::newSecret, EmbeddedEngine::printDashboardLine);
    }
    return dashboard;
  }

  /** The dashboard, when its artifact is on the classpath of Shoal's own classes. */
  static java.util.Optional<DashboardProvider> dashboardProvider() {
    return ServiceLoader.load(DashboardProvider.class, EmbeddedEngine.class.getClassLoader()).findFirst();
  }

  private static void printDashboardLine(String text) {
    System.err.println("Shoal dashboard: " + text);
    System.err.flush();
  }

  /** The token that lets a script read the dashboard and act on it; for tests. Empty while none is served. */
  public java.util.Optional<String> dashboardToken() {
    return madeDashboard().flatMap(EmbeddedDashboard::token);
  }

  /** A new one-time login address of the dashboard; for tests. Empty while none is served. */
  public java.util.Optional<String> dashboardLoginUrl() {
    return madeDashboard().flatMap(EmbeddedDashboard::newLoginUrl);
  }

  /** Whether the dashboard is being served; for tests. */
  public boolean dashboardServed() {
    return madeDashboard().map(EmbeddedDashboard::isServed).orElse(false);
  }

  private synchronized java.util.Optional<EmbeddedDashboard> madeDashboard() {
    return java.util.Optional.ofNullable(dashboard);
  }

  /** {@code SHOAL_DASHBOARD_PORT} or the system property {@code shoal.dashboard.port}, else a free port. */
  static int configuredDashboardPort() {
    String configured = System.getProperty("shoal.dashboard.port", System.getenv("SHOAL_DASHBOARD_PORT"));
    if (configured == null || configured.isBlank()) {
      return 0;
    }
    try {
      int port = Integer.parseInt(configured.strip());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SHOAL_DASHBOARD_PORT must be a port number 0..65535, was '" + configured
          + "'");
    }
  }

  /** The pids of live container processes; for tests. */
  public java.util.List<Long> containerPids() {
    return processes.livePids();
  }

  private void shutdown() {
    EmbeddedDashboard served;
    synchronized (this) {
      served = dashboard;
    }
    if (served != null) {
      served.close();
    }
    controlPlane.close();
    tcpServer.shutdownNow();
    inProcessServer.shutdownNow();
    volumes.close();
    blobs.close();
  }
}
