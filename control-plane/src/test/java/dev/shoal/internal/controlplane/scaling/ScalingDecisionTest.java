package dev.shoal.internal.controlplane.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingDecisionTest {

  @Test
  void noneAsksForNothing() {
    assertThat(ScalingDecision.NONE.isNone()).isTrue();
    assertThat(new ScalingDecision(0, List.of())).isEqualTo(ScalingDecision.NONE);
    assertThat(new ScalingDecision(1, List.of()).isNone()).isFalse();
    assertThat(new ScalingDecision(0, List.of("a")).isNone()).isFalse();
  }

  @Test
  void rejectsNegativeStart() {
    assertThatThrownBy(() -> new ScalingDecision(-1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stopListIsAnImmutableCopy() {
    List<String> ids = new ArrayList<>(List.of("a"));
    ScalingDecision decision = new ScalingDecision(0, ids);

    ids.add("b");

    assertThat(decision.stop()).containsExactly("a");
    assertThatThrownBy(() -> decision.stop().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
