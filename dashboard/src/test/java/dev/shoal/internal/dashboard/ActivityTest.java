package dev.shoal.internal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.store.memory.MemoryStore;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The control plane's activity starts empty and bounded. */
class ActivityTest {
  @Test
  void newControlPlane_hasNoAppsFunctionsOrCalls() {
    try (ControlPlane cp = new ControlPlane(Clock.systemUTC(), new MemoryStore(), Duration.ofDays(1), null, "x")) {
      assertThat(cp.activity().apps()).isEmpty();
      assertThat(cp.activity().functions()).isEmpty();
      assertThat(cp.activity().call("fc-none")).isEmpty();
      assertThat(cp.activity().function("fu-none")).isEmpty();
    }
  }
}
