package dev.shoal.internal.dashboard;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.volume.Volumes;
import dev.shoal.internal.store.FunctionHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The control plane's web page, the JSON API behind it ({@code /api/…}, described in this module's README) and
 * Prometheus metrics ({@code /metrics}), on the JDK's HTTP server with a virtual thread per request.
 *
 * <p>Everything but the page's own files needs a credential ({@link Access}): the token, or a session started
 * with it or with a one-time login link ({@link #newLoginUrl}). Every request must name the dashboard in its
 * {@code Host} and, when it has one, {@code Origin} header ({@link HostFilter}).
 */
public final class Dashboard implements AutoCloseable {
  /** Extra names the dashboard answers to, comma-separated: the system property, then the environment variable. */
  public static final String HOSTS_PROPERTY = "shoal.dashboard.hosts";
  public static final String HOSTS_ENV = "SHOAL_DASHBOARD_HOSTS";

  /** How often the charts' history is sampled. */
  static final Duration HISTORY_EVERY = Duration.ofSeconds(5);

  private final HttpServer server;
  private final ExecutorService executor;
  private final ScheduledExecutorService sampler;
  private final History history;
  private final Metrics metrics;
  private final Access access;
  private final String host;

  private Dashboard(HttpServer server, ExecutorService executor, ScheduledExecutorService sampler, History history,
      Metrics metrics, Access access, String host) {
    this.server = server;
    this.executor = executor;
    this.sampler = sampler;
    this.history = history;
    this.metrics = metrics;
    this.access = access;
    this.host = host;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The address of the page, such as {@code http://127.0.0.1:7701/}. */
  public String url() {
    return url(host, port());
  }

  private static String url(String host, int port) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    if (h.equals("0.0.0.0") || h.equals("[::]")) {
      h = "127.0.0.1";
    }
    return "http://" + h + ":" + port + "/";
  }

  /**
   * A new address of the page that logs in whoever opens it first, such as
   * {@code http://127.0.0.1:7701/?login=CODE}: it works once, and only within the session lifetime. Give it only
   * to the user, as a terminal shows it to the person who started the program.
   */
  public String newLoginUrl() {
    return loginUrl(url(), access.issueLoginCode());
  }

  private static String loginUrl(String url, String code) {
    return url + "?" + LoginLinks.PARAMETER + "=" + code;
  }

  /**
   * Stops answering; a dashboard with a history store first writes the history it holds (the minute in progress),
   * so that the next start charts it.
   */
  @Override
  public void close() {
    server.stop(0);
    sampler.shutdown();
    try {
      // A sample in progress ends first: the last one must not race it.
      if (sampler.awaitTermination(30, TimeUnit.SECONDS)) {
        history.sampleAndStoreAll();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The control plane going away as it stops: the minute in progress is lost, nothing else.
    } finally {
      sampler.shutdownNow();
      executor.shutdownNow();
      metrics.close();
    }
  }

  /** Builds and starts a {@link Dashboard}. */
  public static final class Builder {
    private ControlPlane controlPlane;
    private Volumes volumes;
    private String token;
    private String host = "127.0.0.1";
    private int port;
    private List<String> allowedHosts;
    private Duration sessionIdleTimeout;
    private Duration sessionLifetime;
    private Clock clock = Clock.systemUTC();
    private Consumer<String> loginLinkPrinter;
    private java.util.function.BooleanSupplier ready = () -> true;
    private FunctionHistory functionHistory;

    private Builder() {}

    /**
     * Where the charts' history and the failure history are kept (a server's state store), so that they outlive a
     * restart: written a minute at a time from the dashboard's sampling thread, 24 hours kept. Without one they
     * live in memory from the dashboard's start.
     */
    public Builder functionHistory(FunctionHistory functionHistory) {
      this.functionHistory = Objects.requireNonNull(functionHistory, "functionHistory");
      return this;
    }

    /**
     * What {@code GET /readyz} answers: 200 while {@code ready} says so, else 503. It needs no token and takes any
     * {@code Host}, as a Kubernetes probe sends the pod's address; it tells nothing but that one bit.
     */
    public Builder readiness(java.util.function.BooleanSupplier ready) {
      this.ready = Objects.requireNonNull(ready, "ready");
      return this;
    }

    public Builder controlPlane(ControlPlane controlPlane) {
      this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
      return this;
    }

    public Builder volumes(Volumes volumes) {
      this.volumes = Objects.requireNonNull(volumes, "volumes");
      return this;
    }

    /** The token that lets a request read and act, as {@code Authorization: Bearer} or to log in with. */
    public Builder token(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("the dashboard's token must not be empty");
      }
      this.token = token;
      return this;
    }

    /**
     * The address to listen on; 127.0.0.1 by default. Requests must name it, or a loopback name, in their
     * {@code Host} header; a wildcard address ({@code 0.0.0.0}, {@code ::}) stands for this machine's addresses.
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to listen on; 0, the default, picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("the dashboard's port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * More names the dashboard is reached by, such as {@code shoal.example.com} or {@code shoal.example.com:443}
     * behind a proxy; a name without a port means the dashboard's port, or none. By default, the names in the
     * system property {@code shoal.dashboard.hosts}, else the environment variable {@code SHOAL_DASHBOARD_HOSTS},
     * comma-separated.
     */
    public Builder allowedHosts(List<String> names) {
      this.allowedHosts = List.copyOf(names);
      AllowedHosts.of("127.0.0.1", 1, allowedHosts); // fails now, naming a bad entry
      return this;
    }

    /**
     * How long a session may go without a request; by default the system property
     * {@code shoal.dashboard.sessionIdleTimeout}, else {@code SHOAL_DASHBOARD_SESSION_IDLE_TIMEOUT}, else one hour.
     */
    public Builder sessionIdleTimeout(Duration idleTimeout) {
      SessionLimits.requirePositive(idleTimeout, "idle timeout");
      this.sessionIdleTimeout = idleTimeout;
      return this;
    }

    /**
     * How long a session lasts at most, however busy; by default the system property
     * {@code shoal.dashboard.sessionLifetime}, else {@code SHOAL_DASHBOARD_SESSION_LIFETIME}, else 24 hours.
     */
    public Builder sessionLifetime(Duration lifetime) {
      SessionLimits.requirePositive(lifetime, "lifetime");
      this.sessionLifetime = lifetime;
      return this;
    }

    /** The clock sessions, login links and the login rate limit are timed by. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where a new login link goes when the page asks for one (say, after its session expired): a printer that
     * only the user sees, such as the terminal of the program serving the dashboard. Without one the page asks
     * for the token instead.
     */
    public Builder loginLinkPrinter(Consumer<String> printer) {
      this.loginLinkPrinter = Objects.requireNonNull(printer, "printer");
      return this;
    }

    /** Starts listening; returns once requests are answered. */
    public Dashboard start() {
      if (controlPlane == null) {
        throw new IllegalStateException("the dashboard needs a control plane");
      }
      if (token == null) {
        throw new IllegalStateException("the dashboard needs a token");
      }
      SessionLimits limits = SessionLimits.resolve(sessionIdleTimeout, sessionLifetime, System::getProperty,
          System::getenv);
      List<String> added = allowedHosts != null ? allowedHosts : configuredHosts();
      HttpServer server;
      try {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
      } catch (IOException e) {
        throw new UncheckedIOException("the dashboard cannot listen on " + host + ":" + port, e);
      }
      int boundPort = server.getAddress().getPort();
      AllowedHosts allowed = AllowedHosts.of(host, boundPort, added);
      Metrics metrics = new Metrics(controlPlane.activity());
      ExecutorService executor = Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("shoal-dashboard-", 0).factory());
      server.setExecutor(executor);
      String url = url(host, boundPort);
      Consumer<String> printer = loginLinkPrinter == null ? null
          : code -> loginLinkPrinter.accept(loginUrl(url, code));
      Access access = new Access(token, new Sessions(clock, limits), new LoginLinks(clock, limits.lifetime()),
          new LoginLimiter(clock), printer);
      Optional<FunctionHistory> stored = Optional.ofNullable(functionHistory);
      History history = new History(controlPlane.activity(), clock,
          stored.map(h -> new HistoryRecorder(h, controlPlane.activity())));
      Api api = new Api(controlPlane, volumes, access, history, stored);
      HostFilter filter = new HostFilter(allowed);
      List<HttpContext> contexts = List.of(
          server.createContext("/api/", api::handle),
          server.createContext("/metrics", exchange -> api.metrics(exchange, metrics)),
          server.createContext("/", exchange -> {
            if (Access.isLoginLink(exchange)) {
              access.followLoginLink(exchange);
            } else {
              StaticFiles.handle(exchange);
            }
          }));
      contexts.forEach(c -> c.getFilters().add(filter));
      java.util.function.BooleanSupplier readiness = ready;
      server.createContext("/readyz", exchange -> {
        try (exchange) {
          boolean isReady = readiness.getAsBoolean();
          Replies.send(exchange, isReady ? 200 : 503, Map.of("ready", isReady));
        }
      });
      // A daemon, like the server's threads: the charts' history never keeps the JVM alive.
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("shoal-dashboard-history").factory());
      sampler.scheduleWithFixedDelay(() -> {
        try {
          history.sample();
        } catch (RuntimeException e) {
          // A sample that fails (the control plane closing) leaves a gap in the charts, not an end to them.
        }
      }, 0, HISTORY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      startDaemon(server);
      return new Dashboard(server, executor, sampler, history, metrics, access, host);
    }

    /**
     * Starts {@code server} so that it never keeps the JVM alive. The JDK's server makes its dispatcher thread
     * without saying whether it is a daemon, so the thread takes that from the thread that starts the server:
     * started from {@code main}, the dispatcher would keep a job's JVM running after {@code main} returned.
     */
    private static void startDaemon(HttpServer server) {
      Thread starter = Thread.ofPlatform().daemon().name("shoal-dashboard-start").start(server::start);
      try {
        starter.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        server.stop(0);
        throw new IllegalStateException("interrupted while starting the dashboard", e);
      }
    }

    private static List<String> configuredHosts() {
      String value = System.getProperty(HOSTS_PROPERTY, System.getenv(HOSTS_ENV));
      if (value == null || value.isBlank()) {
        return List.of();
      }
      List<String> names = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
      try {
        AllowedHosts.of("127.0.0.1", 1, names);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(HOSTS_ENV + " (or the system property " + HOSTS_PROPERTY + "): "
            + e.getMessage(), e);
      }
      return names;
    }
  }
}
