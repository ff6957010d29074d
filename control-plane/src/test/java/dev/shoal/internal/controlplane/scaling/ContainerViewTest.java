package dev.shoal.internal.controlplane.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerViewTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void onlyStoppingContainersAreNotLive() {
    assertThat(new ContainerView("a", ContainerPhase.STARTING, 0, null).isLive()).isTrue();
    assertThat(new ContainerView("a", ContainerPhase.READY, 2, null).isLive()).isTrue();
    assertThat(new ContainerView("a", ContainerPhase.STOPPING, 0, T0).isLive()).isFalse();
  }

  @Test
  void onlyReadyContainersWithoutInputsAreIdleReady() {
    assertThat(new ContainerView("a", ContainerPhase.READY, 0, T0).isIdleReady()).isTrue();
    assertThat(new ContainerView("a", ContainerPhase.READY, 1, T0).isIdleReady()).isFalse();
    assertThat(new ContainerView("a", ContainerPhase.STARTING, 0, T0).isIdleReady()).isFalse();
    assertThat(new ContainerView("a", ContainerPhase.STOPPING, 0, T0).isIdleReady()).isFalse();
  }

  @Test
  void rejectsInvalidFields() {
    assertThatThrownBy(() -> new ContainerView(null, ContainerPhase.READY, 0, T0))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ContainerView("a", null, 0, T0))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ContainerView("a", ContainerPhase.READY, -1, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
