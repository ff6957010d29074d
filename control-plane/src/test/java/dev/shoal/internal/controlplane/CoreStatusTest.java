package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** The edge's one translation of the core's refusals to gRPC statuses. */
class CoreStatusTest {
  @Test
  void everyKindOfRefusalBecomesTheStatusOfTheSameNameWithItsMessage() {
    for (CoreException.Kind kind : CoreException.Kind.values()) {
      Status status = CoreStatus.of(new CoreException(kind, "why " + kind));

      assertThat(status.getCode().name()).isEqualTo(kind.name());
      assertThat(status.getCode().value()).isEqualTo(kind.code());
      assertThat(status.getDescription()).isEqualTo("why " + kind);
    }
  }
}
