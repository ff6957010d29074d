package dev.shoal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.testing.ContainerEvent.Kind;
import dev.shoal.testing.apps.OrdersApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@ShoalTest
class ThreadContainersTest {

  @Test
  void functionsRunInThisJvmAndTheirCallsAreTraced(ShoalTestEngine engine) {
    FunctionCall<Integer> call;
    try (AppRun run = OrdersApp.app.run()) {
      assertThat(OrdersApp.pid.remote(0)).isEqualTo(ProcessHandle.current().pid());
      call = OrdersApp.total.spawn(21);
      assertThat(call.get(Duration.ofSeconds(30))).isEqualTo(42);
    }
    assertThat(engine.calls(OrdersApp.app)).extracting(CallTrace::id).contains(call.id());
    CallTrace traced = engine.call(call);
    assertThat(traced.function()).isEqualTo("total");
    assertThat(traced.kind()).isEqualTo("spawn");
    assertThat(traced.state()).isEqualTo("succeeded");
    assertThat(traced.attempts()).isEqualTo(1);
  }

  @Test
  void callsAreListedNewestFirst(ShoalTestEngine engine) {
    FunctionCall<Integer> first;
    FunctionCall<Integer> second;
    try (AppRun run = OrdersApp.app.run()) {
      first = OrdersApp.total.spawn(1);
      first.get(Duration.ofSeconds(30));
      second = OrdersApp.total.spawn(2);
      second.get(Duration.ofSeconds(30));
    }
    assertThat(engine.calls().subList(0, 2)).extracting(CallTrace::id).containsExactly(second.id(), first.id());
  }

  @Test
  void aCallTheEngineNeverSawIsNamedInTheError(ShoalTestEngine engine) {
    assertThatThrownBy(() -> engine.call("fc-none"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fc-none");
  }

  @Test
  void whatAFunctionPrintsIsInTheAppsLog(ShoalTestEngine engine) {
    try (AppRun run = OrdersApp.app.run()) {
      assertThat(OrdersApp.ship.remote("o-17")).isEqualTo("shipped o-17");
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.logs(OrdersApp.app).contains("shipping o-17"));
    }
  }

  @Test
  void containersAreSeenToStartAndToStopWithTheirRun(ShoalTestEngine engine) {
    try (AppRun run = OrdersApp.app.run()) {
      OrdersApp.total.remote(1);
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(engine.containerEvents(OrdersApp.app))
            .filteredOn(e -> e.function().equals("total"))
            .extracting(ContainerEvent::kind)
            .contains(Kind.STARTING, Kind.STARTED, Kind.STOPPED));
  }
}
