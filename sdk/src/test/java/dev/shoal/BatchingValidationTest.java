package dev.shoal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.client.AppRegistry;
import dev.shoal.protocol.v1.FunctionDefinition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingValidationTest {
  static final App app = App.named("batching-validation-test");

  static final RemoteFunction<Integer, Integer> doubled = app.batched("doubled",
      xs -> xs.stream().map(x -> x * 2).toList(), Batching.of(8, Duration.ofMillis(250)));

  static final RemoteFunction<Integer, Integer> dropsOne = app.batched("dropsOne",
      xs -> xs.subList(1, xs.size()), Batching.of(8, Duration.ZERO));

  @Test
  void batchingAcceptsBothEndsOfItsRanges() {
    assertThat(Batching.of(1, Duration.ZERO).maxBatchSize()).isEqualTo(1);
    Batching widest = Batching.of(1000, Duration.ofMinutes(10));
    assertThat(widest.maxBatchSize()).isEqualTo(1000);
    assertThat(widest.waitTime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(Batching.of(8, Duration.ofMillis(5))).isEqualTo(Batching.of(8, Duration.ofMillis(5)));
  }

  @Test
  void batchingOutsideItsRangesIsRejectedNamingTheRule() {
    assertThatThrownBy(() -> Batching.of(0, Duration.ZERO))
        .isInstanceOf(InvalidOptionException.class).hasMessage("maxBatchSize must be 1..1000, was 0");
    assertThatThrownBy(() -> Batching.of(1001, Duration.ZERO))
        .isInstanceOf(InvalidOptionException.class).hasMessage("maxBatchSize must be 1..1000, was 1001");
    assertThatThrownBy(() -> Batching.of(8, Duration.ofMinutes(11)))
        .isInstanceOf(InvalidOptionException.class).hasMessage("wait must be 0 s..10 min, was 11 min");
    assertThatThrownBy(() -> Batching.of(8, Duration.ofMillis(-1)))
        .isInstanceOf(InvalidOptionException.class).hasMessage("wait must be 0 s..10 min, was -1 ms");
    assertThatThrownBy(() -> Batching.of(8, null))
        .isInstanceOf(InvalidOptionException.class).hasMessage("wait must not be null");
  }

  @Test
  void batchedFunctionDefinitionCarriesItsBatching() {
    FunctionDefinition d = AppRegistry.find("batching-validation-test", BatchingValidationTest.class).orElseThrow()
        .functions().get("doubled").definition();
    assertThat(d.getBatchMaxSize()).isEqualTo(8);
    assertThat(d.getBatchWaitMs()).isEqualTo(250);
  }

  @Test
  void localRunsTheBodyOnABatchOfOne() {
    assertThat(doubled.local(21)).isEqualTo(42);
  }

  @Test
  void bodyReturningTheWrongNumberOfResultsFailsSayingSo() {
    assertThatThrownBy(() -> dropsOne.local(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("batched function dropsOne returned 0 results for a batch of 1 input; it must return one per"
            + " input, in order");
  }

  @Test
  void batchedNeedsBatching() {
    assertThatThrownBy(() -> app.batched("noBatching", (List<Integer> xs) -> xs, null))
        .isInstanceOf(InvalidOptionException.class).hasMessage("batching must not be null");
  }
}
