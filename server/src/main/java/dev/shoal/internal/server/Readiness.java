package dev.shoal.internal.server;

import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;

/**
 * Whether the server takes work: not while it recovers the calls, leases and containers of its previous run (its
 * port is open by then, for containers that reconnect), nor once it stops. Told through the standard gRPC health
 * service ({@code grpc.health.v1.Health}, for the whole server and for {@value #SERVICE}) and through the dashboard's
 * {@code /readyz}, so that a Kubernetes readiness probe or a load balancer sends clients only to a server that is
 * ready.
 */
final class Readiness {
  /** The service name clients may ask about, beside the empty name that stands for the whole server. */
  static final String SERVICE = "shoal";

  private final HealthStatusManager health = new HealthStatusManager();
  private volatile boolean ready;

  Readiness() {
    // The manager starts with the whole server SERVING; it is not, until recovery ends.
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    health.setStatus(SERVICE, ServingStatus.NOT_SERVING);
  }

  BindableService healthService() {
    return health.getHealthService();
  }

  boolean ready() {
    return ready;
  }

  void serving() {
    ready = true;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    health.setStatus(SERVICE, ServingStatus.SERVING);
  }

  /** For good: a server that stops never serves again. */
  void stopping() {
    ready = false;
    health.enterTerminalState();
  }
}
