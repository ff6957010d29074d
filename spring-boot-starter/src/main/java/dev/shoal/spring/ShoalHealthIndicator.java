package dev.shoal.spring;

import dev.shoal.internal.client.Engines;
import dev.shoal.internal.client.ShoalConfig;
import dev.shoal.protocol.ShoalVersion;
import dev.shoal.protocol.v1.ListAppsRequest;
import dev.shoal.protocol.v1.ListAppsResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether the Shoal server answers, with the token the application has: up when it lists the environment's apps
 * within the health timeout. The details name the server and its version, the environment and the client's
 * version.
 *
 * <p>With no server configured the application's calls go to the embedded engine in its own JVM, which is up as
 * long as the application is; the check does not start it.
 */
final class ShoalHealthIndicator implements HealthIndicator {
  private static final String CLIENT_VERSION = ShoalVersion.VERSION;

  private final Duration timeout;

  ShoalHealthIndicator(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Health health() {
    ShoalConfig config = ShoalConfig.load();
    Optional<String> server = config.server();
    Health.Builder health = server.isEmpty()
        ? Health.up().withDetail("engine", "embedded")
        : check(server.get(), config.environment());
    return health.withDetail("environment", config.environment()).withDetail("clientVersion", CLIENT_VERSION).build();
  }

  private Health.Builder check(String server, String environment) {
    try {
      ListAppsResponse listed = Engines.current().blocking()
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .listApps(ListAppsRequest.newBuilder().setEnvironment(environment).build());
      // An engine older than the version field answers it empty.
      String serverVersion = listed.getEngineVersion().isEmpty() ? "unknown" : listed.getEngineVersion();
      return Health.up().withDetail("server", server).withDetail("serverVersion", serverVersion)
          .withDetail("apps", listed.getAppsCount());
    } catch (RuntimeException e) {
      return Health.down().withDetail("server", server).withDetail("error", describe(e));
    }
  }

  /** The failure as one line: gRPC's status and description, without a stack trace. */
  private static String describe(RuntimeException e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
