package dev.shoal.internal.controlplane.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolSnapshotTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void containerListIsAnImmutableCopy() {
    List<ContainerView> containers = new ArrayList<>();
    containers.add(new ContainerView("a", ContainerPhase.READY, 0, T0));
    PoolSnapshot pool = new PoolSnapshot(0, containers);

    containers.add(new ContainerView("b", ContainerPhase.READY, 0, T0));

    assertThat(pool.containers()).extracting(ContainerView::id).containsExactly("a");
    assertThatThrownBy(() -> pool.containers().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsNegativeQueue() {
    assertThatThrownBy(() -> new PoolSnapshot(-1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsDuplicateIds() {
    List<ContainerView> containers =
        List.of(
            new ContainerView("a", ContainerPhase.READY, 0, T0),
            new ContainerView("a", ContainerPhase.STOPPING, 0, T0));

    assertThatThrownBy(() -> new PoolSnapshot(0, containers))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a");
  }
}
