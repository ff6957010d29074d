package dev.shoal.internal.dashboard;

import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.volume.Volumes;
import dev.shoal.internal.embedded.DashboardProvider;
import java.util.function.Consumer;

/** Serves the dashboard for the embedded engine, which finds this class through {@link java.util.ServiceLoader}. */
public final class EmbeddedDashboardProvider implements DashboardProvider {
  @Override
  public Served serve(ControlPlane controlPlane, Volumes volumes, String token, String host, int port,
      Consumer<String> loginLinkPrinter) {
    Dashboard dashboard = Dashboard.builder()
        .controlPlane(controlPlane)
        .volumes(volumes)
        .token(token)
        .host(host)
        .port(port)
        .loginLinkPrinter(loginLinkPrinter)
        .start();
    return new Served() {
      @Override
      public String url() {
        return dashboard.url();
      }

      @Override
      public String newLoginUrl() {
        return dashboard.newLoginUrl();
      }

      @Override
      public void close() {
        dashboard.close();
      }
    };
  }
}
