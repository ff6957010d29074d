package dev.shoal.internal.embedded;

import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.volume.Volumes;
import java.util.function.Consumer;

/**
 * The embedded engine's dashboard, which the {@code dev.shoal:shoal-dashboard} artifact provides through
 * {@link java.util.ServiceLoader}.
 *
 * <p>It is not part of {@code dev.shoal:shoal}: the dashboard brings Jackson and the Prometheus registry, and an
 * application's classpath is every process container's too, so each container would load and carry them for a page
 * few runs serve. An application that wants the page adds the artifact; the CLI and the server always bring it.
 */
public interface DashboardProvider {
  /** The coordinates the engine names when a run asks for the dashboard and no provider is on the classpath. */
  String ARTIFACT = "dev.shoal:shoal-dashboard";

  /**
   * Serves the dashboard of {@code controlPlane} on {@code host:port} (0 picks a free port) to whoever logs in
   * with {@code token}, and hands each new one-time login address to {@code loginLinkPrinter}.
   */
  Served serve(ControlPlane controlPlane, Volumes volumes, String token, String host, int port,
      Consumer<String> loginLinkPrinter);

  /** A dashboard being served. */
  interface Served extends AutoCloseable {
    /** Its address. */
    String url();

    /** A new address that logs in once. */
    String newLoginUrl();

    @Override
    void close();
  }
}
