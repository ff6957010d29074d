package dev.shoal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutputOptionsTest {
  @AfterEach
  void clearProperty() {
    System.clearProperty("shoal.output");
  }

  @Test
  void outputIsOffByDefaultAndOnWhenSetOrConfigured() {
    assertThat(RunOptions.defaults().output()).isFalse();
    assertThat(RunOptions.builder().output(true).build().output()).isTrue();
    System.setProperty("shoal.output", "true");
    assertThat(RunOptions.defaults().output()).isTrue();
    // What the builder says wins over the configuration.
    assertThat(RunOptions.builder().output(false).build().output()).isFalse();
    assertThat(RunOptions.builder().output(false).build().toBuilder().build().output()).isFalse();
  }

  @Test
  void outputEnableNestsAndClosingTwiceDoesNothing() {
    assertThat(Output.isEnabled()).isFalse();
    try (Output outer = Output.enable()) {
      Output inner = Output.enable();
      inner.close();
      inner.close();
      assertThat(Output.isEnabled()).isTrue();
    }
    assertThat(Output.isEnabled()).isFalse();
  }
}
