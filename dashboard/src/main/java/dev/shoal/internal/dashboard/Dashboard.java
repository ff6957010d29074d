package dev.shoal.internal.dashboard;

import com.sun.net.httpserver.HttpServer;
import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.volume.Volumes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The control plane's web page, the JSON API behind it ({@code /api/…}, described in this module's README) and
 * Prometheus metrics ({@code /metrics}), on the JDK's HTTP server with a virtual thread per request.
 *
 * <p>Reading needs the token when {@link Builder#readsNeedToken} is set (a server); acting (cancelling a call,
 * stopping an app) always does.
 */
public final class Dashboard implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final Metrics metrics;
  private final String host;

  private Dashboard(HttpServer server, ExecutorService executor, Metrics metrics, String host) {
    this.server = server;
    this.executor = executor;
    this.metrics = metrics;
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
    String h = host.contains(":") ? "[" + host + "]" : host;
    if (h.equals("0.0.0.0") || h.equals("[::]")) {
      h = "127.0.0.1";
    }
    return "http://" + h + ":" + port() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    metrics.close();
  }

  /** Builds and starts a {@link Dashboard}. */
  public static final class Builder {
    private ControlPlane controlPlane;
    private Volumes volumes;
    private String token;
    private boolean readsNeedToken = true;
    private String host = "127.0.0.1";
    private int port;

    private Builder() {}

    public Builder controlPlane(ControlPlane controlPlane) {
      this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
      return this;
    }

    public Builder volumes(Volumes volumes) {
      this.volumes = Objects.requireNonNull(volumes, "volumes");
      return this;
    }

    /** The token that lets a request act, and read when {@link #readsNeedToken}. */
    public Builder token(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("the dashboard's token must not be empty");
      }
      this.token = token;
      return this;
    }

    /** Whether reading needs the token too; true by default, as on a server. */
    public Builder readsNeedToken(boolean readsNeedToken) {
      this.readsNeedToken = readsNeedToken;
      return this;
    }

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

    /** Starts listening; returns once requests are answered. */
    public Dashboard start() {
      if (controlPlane == null) {
        throw new IllegalStateException("the dashboard needs a control plane");
      }
      if (token == null) {
        throw new IllegalStateException("the dashboard needs a token");
      }
      Metrics metrics = new Metrics(controlPlane.activity());
      Sessions sessions = new Sessions(token);
      HttpServer server;
      try {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
      } catch (IOException e) {
        metrics.close();
        throw new UncheckedIOException("the dashboard cannot listen on " + host + ":" + port, e);
      }
      ExecutorService executor = Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("shoal-dashboard-", 0).factory());
      server.setExecutor(executor);
      Api api = new Api(controlPlane, volumes, sessions, readsNeedToken);
      server.createContext("/api/", api::handle);
      server.createContext("/metrics", exchange -> api.metrics(exchange, metrics));
      server.createContext("/", StaticFiles::handle);
      server.start();
      return new Dashboard(server, executor, metrics, host);
    }
  }
}
