package dev.shoal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.OutputExpiredException;
import dev.shoal.RunOptions;
import dev.shoal.testing.apps.OrdersApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Deadlines of minutes and days, met in a moment by moving the engine's clock. */
@ShoalTest(lifecycle = ShoalTest.Lifecycle.PER_METHOD)
class TestClockTest {

  @Test
  void retriesWaitOutTheirBackoffOnTheEnginesClock(ShoalTestEngine engine, TestClock clock) {
    // Detached: a jump of a minute is longer than the engine waits for the client's heartbeats, which the client
    // sends on the real time, and would stop an attached run.
    try (AppRun run = OrdersApp.app.run(RunOptions.builder().detach(true).build())) {
      FunctionCall<Integer> call = OrdersApp.charge.spawn("4242");
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.call(call).inputs().getFirst().state(),
          state -> state.equals("retrying"));
      assertThat(engine.call(call).attempts()).isEqualTo(1);

      clock.advance(Duration.ofSeconds(60));
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.call(call).attempts() == 2
          && engine.call(call).inputs().getFirst().state().equals("retrying"));

      clock.advance(Duration.ofSeconds(60));
      assertThat(call.get(Duration.ofSeconds(30))).isEqualTo(3);
      assertThat(engine.call(call).attempts()).isEqualTo(3);
      assertThat(engine.call(call).inputs().getFirst().failure()).contains("java.lang.IllegalStateException");
    }
  }

  @Test
  void resultsExpireOnceTheClockPassesTheirRetention(TestClock clock) {
    FunctionCall<Integer> call;
    try (AppRun run = OrdersApp.app.run()) {
      call = OrdersApp.total.spawn(5);
      assertThat(call.get(Duration.ofSeconds(30))).isEqualTo(10);
    }
    clock.advance(Duration.ofDays(8));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThatThrownBy(() -> FunctionCall.fromId(call.id()).get(Duration.ofSeconds(5)))
            .isInstanceOf(OutputExpiredException.class));
  }

  @Test
  void theClockOnlyMovesForward(TestClock clock) {
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only moves forward");
  }
}
