package dev.shoal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.Deployment;
import dev.shoal.FunctionCall;
import dev.shoal.RemoteFunction;
import dev.shoal.testing.apps.OrdersApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The durable engine: a server with an embedded PostgreSQL, which other processes reach by its address. */
@ShoalTest(server = true)
class ServerEngineTest {

  @Test
  void deployedFunctionsAreFoundByNameAndTheirCallsTraced(ShoalTestEngine engine) {
    assertThat(engine.address()).hasValueSatisfying(address -> assertThat(address).startsWith("127.0.0.1:"));
    Deployment deployment = OrdersApp.app.deploy();
    assertThat(deployment.version()).isEqualTo(1);
    RemoteFunction<Integer, Integer> total = RemoteFunction.fromName("orders", "total");
    FunctionCall<Integer> call = total.spawn(50);
    assertThat(call.get(Duration.ofSeconds(60))).isEqualTo(100);
    assertThat(engine.call(call).attempts()).isEqualTo(1);
    // Deployed apps outlive their client; this one goes with the engine.
    try (AppRun run = OrdersApp.app.run()) {
      assertThat(OrdersApp.total.remote(1)).isEqualTo(2);
    }
  }
}
