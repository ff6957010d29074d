package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.memory.MemoryStore;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.StartAppRequest;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restarted server takes calls from the moment it listens, before {@link ControlPlane#recover()} has put its apps
 * back. A client retrying through the restart must hear "try again" then, not that its function or app is gone.
 */
class RestoreWindowTest {
  private final StateStore store = new MemoryStore();

  private ControlPlane start() {
    ControlPlane cp = new ControlPlane(Clock.systemUTC(), store, Duration.ofDays(1), null, "none");
    cp.addBackend(new NoRoomBackend());
    return cp;
  }

  @Test
  void aSpawnOrLookupBeforeRecoveryIsToldToTryAgainAndSucceedsAfterIt() {
    String functionId;
    try (ControlPlane before = start()) {
      functionId = before.startApp(StartAppRequest.newBuilder()
          .setAppName("deployed-app")
          .setAppClass("example.App")
          .setDeploy(true)
          .addFunctions(FunctionDefinition.newBuilder().setName("square").setTimeoutMs(60_000))
          .build()).getFunctionIdsOrThrow("square");
    }

    try (ControlPlane restarted = start()) {
      SpawnOutcome early = restarted.spawn(List.of(SpawnRequest.newBuilder().setFunctionId(functionId).build()))
          .join().getFirst();
      assertThat(early.getErrorCode()).isEqualTo(Status.Code.UNAVAILABLE.value());
      assertThat(early.getErrorMessage()).contains("is being restored after a restart; try again");
      assertThatThrownBy(() -> restarted.lookupFunction("main", "deployed-app", "square"))
          .isInstanceOfSatisfying(CoreException.class,
              e -> assertThat(e.kind()).isEqualTo(CoreException.Kind.UNAVAILABLE));

      restarted.recover();

      assertThat(restarted.lookupFunction("main", "deployed-app", "square").getFunctionId()).isEqualTo(functionId);
      assertThat(restarted.spawn(List.of(SpawnRequest.newBuilder().setFunctionId(functionId).build())).join()
          .getFirst().getCallId()).startsWith("fc-");
    }
  }

  @Test
  void aSpawnOfAFunctionNoActiveAppHasIsStillNotFound() {
    try (ControlPlane cp = start()) {
      SpawnOutcome outcome = cp.spawn(List.of(SpawnRequest.newBuilder().setFunctionId("fu-gone").build()))
          .join().getFirst();

      assertThat(outcome.getErrorCode()).isEqualTo(Status.Code.NOT_FOUND.value());
    }
  }
}
