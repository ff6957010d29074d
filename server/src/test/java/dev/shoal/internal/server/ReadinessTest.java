package dev.shoal.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server's readiness as the standard gRPC health service tells it. */
class ReadinessTest {
  @Test
  void notServingUntilRecoveryEndsThenServingUntilTheServerStops() throws Exception {
    Readiness readiness = new Readiness();
    String name = "readiness-" + System.nanoTime();
    Server server = InProcessServerBuilder.forName(name).addService(readiness.healthService()).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    try {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);

      assertThat(status(health, "")).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(status(health, Readiness.SERVICE)).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(readiness.ready()).isFalse();

      readiness.serving();
      assertThat(status(health, "")).isEqualTo(ServingStatus.SERVING);
      assertThat(status(health, Readiness.SERVICE)).isEqualTo(ServingStatus.SERVING);
      assertThat(readiness.ready()).isTrue();

      readiness.stopping();
      assertThat(status(health, "")).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(readiness.ready()).isFalse();
    } finally {
      channel.shutdownNow();
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static ServingStatus status(HealthGrpc.HealthBlockingStub health, String service) {
    return health.withDeadlineAfter(30, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }
}
