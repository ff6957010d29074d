package dev.shoal.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.testing.CallTrace;
import dev.shoal.testing.ContainerEvent;
import dev.shoal.testing.ShoalTest;
import dev.shoal.testing.ShoalTestEngine;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How to test a Shoal app with {@code dev.shoal:shoal-testing}: {@code @ShoalTest} gives the class an engine of its
 * own (thread containers, so a test takes milliseconds), closed after its tests with a check that no thread or
 * process was left behind. The app's code is unchanged: {@code app.run()} reaches the test's engine. A test method
 * may take the {@link ShoalTestEngine} to assert on what the engine saw.
 */
@ShoalTest
class SquaresTest {

  @Test
  void squaresInInputOrder() {
    try (AppRun run = Squares.app.run()) {
      assertThat(Squares.square.map(List.of(1, 2, 3, 4)).toList()).containsExactly(1, 4, 9, 16);
    }
  }

  @Test
  void aSpawnedCallIsCollectedByIdAndTakesOneAttempt(ShoalTestEngine engine) {
    try (AppRun run = Squares.app.run()) {
      FunctionCall<Integer> call = Squares.square.spawn(9);
      assertThat(FunctionCall.<Integer>fromId(call.id()).get(Duration.ofSeconds(30))).isEqualTo(81);

      CallTrace traced = engine.call(call);
      assertThat(traced.kind()).isEqualTo("spawn");
      assertThat(traced.attempts()).isEqualTo(1);
    }
    // The run's containers stop with it.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(engine.containerEvents(Squares.app))
            .extracting(ContainerEvent::kind)
            .contains(ContainerEvent.Kind.STARTED, ContainerEvent.Kind.STOPPED));
  }
}
