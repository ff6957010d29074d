package dev.shoal.internal.controlplane.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScalingPolicyTest {

  private static final Duration WINDOW = Duration.ofSeconds(60);

  @Test
  void acceptsValidPolicies() {
    assertThat(new ScalingPolicy(0, 0, 0, Duration.ZERO, 1).hasCap()).isFalse();
    assertThat(new ScalingPolicy(2, 2, 1, WINDOW, 8).hasCap()).isTrue();
    // No cap of its own, so any floor is allowed.
    assertThat(new ScalingPolicy(5, 0, 0, WINDOW, 1).minContainers()).isEqualTo(5);
  }

  @Test
  void rejectsNegativeCounts() {
    assertThatThrownBy(() -> new ScalingPolicy(-1, 0, 0, WINDOW, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minContainers");
    assertThatThrownBy(() -> new ScalingPolicy(0, -1, 0, WINDOW, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxContainers");
    assertThatThrownBy(() -> new ScalingPolicy(0, 0, -1, WINDOW, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bufferContainers");
  }

  @Test
  void rejectsCapBelowFloor() {
    assertThatThrownBy(() -> new ScalingPolicy(3, 2, 0, WINDOW, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxContainers");
  }

  @Test
  void rejectsMissingOrNegativeWindow() {
    assertThatThrownBy(() -> new ScalingPolicy(0, 0, 0, null, 1))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ScalingPolicy(0, 0, 0, Duration.ofSeconds(-1), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scaledownWindow");
  }

  @Test
  void rejectsConcurrencyBelowOne() {
    assertThatThrownBy(() -> new ScalingPolicy(0, 0, 0, WINDOW, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConcurrentInputs");
  }
}
