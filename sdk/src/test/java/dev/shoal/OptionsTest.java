package dev.shoal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void functionOptionsHaveModalsDefaults() {
    FunctionOptions o = FunctionOptions.defaults();
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(o.startupTimeout()).isEqualTo(o.timeout());
    assertThat(FunctionOptions.builder().timeout(Duration.ofSeconds(2)).build().startupTimeout())
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(o.retries().maxRetries()).isZero();
    assertThat(o.maxContainers()).isEmpty();
    assertThat(o.scaledownWindow()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.concurrency()).isEqualTo(1);
  }

  @Test
  void outOfRangeOptionsAreRejectedNamingTheRule() {
    assertThatThrownBy(() -> Retries.builder().maxRetries(11))
        .isInstanceOf(InvalidOptionException.class).hasMessage("maxRetries must be 0..10, was 11");
    assertThatThrownBy(() -> FunctionOptions.builder().timeout(Duration.ofMillis(500)))
        .isInstanceOf(InvalidOptionException.class).hasMessage("timeout must be 1 s..24 h, was 500 ms");
    assertThatThrownBy(() -> FunctionOptions.builder().maxContainers(0))
        .isInstanceOf(InvalidOptionException.class).hasMessage("maxContainers must be 1..10000, was 0");
    assertThatThrownBy(() -> Retries.builder().backoffCoefficient(0.5))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("backoffCoefficient must be 1.0..10.0");
    assertThatThrownBy(() -> FunctionOptions.builder().minContainers(3).maxContainers(2).build())
        .isInstanceOf(InvalidOptionException.class).hasMessage("maxContainers must be >= minContainers, was 2 < 3");
    assertThatThrownBy(() -> MapOptions.builder().maxInFlight(0)).isInstanceOf(InvalidOptionException.class);
    assertThatThrownBy(() -> FunctionOptions.builder().gpu("H100:9")).isInstanceOf(InvalidOptionException.class);
    assertThatThrownBy(() -> FunctionOptions.builder().env("1BAD", "x")).isInstanceOf(InvalidOptionException.class);
  }

  @Test
  void retryDelaysGrowByTheCoefficientUpToTheMaximum() {
    Retries r = Retries.builder().maxRetries(5).backoffCoefficient(3.0).initialDelay(Duration.ofSeconds(2))
        .maxDelay(Duration.ofSeconds(30)).build();
    assertThat(r.delayBeforeRetry(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.delayBeforeRetry(2)).isEqualTo(Duration.ofSeconds(6));
    assertThat(r.delayBeforeRetry(3)).isEqualTo(Duration.ofSeconds(18));
    assertThat(r.delayBeforeRetry(4)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Retries.fixed(3).delayBeforeRetry(3)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void appNamesAreValidated() {
    assertThatThrownBy(() -> App.named("Bad_Name")).isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("app name must be");
    assertThatThrownBy(() -> App.named("-edge")).isInstanceOf(InvalidOptionException.class);
    App app = App.named("ok-name");
    app.function("f", (Integer x) -> x);
    assertThatThrownBy(() -> app.function("f", (Integer x) -> x)).isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("already has a function named 'f'");
    assertThatThrownBy(() -> app.function("9lives", (Integer x) -> x)).isInstanceOf(InvalidOptionException.class);
  }

  @Test
  void callingAFunctionOfAnAppThatIsNotRunningSaysSo() {
    App app = App.named("idle-app");
    RemoteFunction<Integer, Integer> f = app.function("f", x -> x + 1);
    assertThatThrownBy(() -> f.remote(1)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("app 'idle-app' is not running");
    assertThat(f.local(1)).isEqualTo(2);
  }

  @Test
  void backendComesFromTheOptionThenTheEnvironment() {
    assertThat(RunOptions.builder().backend(Backend.THREADS).build().backend()).isEqualTo(Backend.THREADS);
  }
}
