package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.shoal.internal.controlplane.FakeBackend.FakeContainer;
import dev.shoal.internal.store.AppState;
import dev.shoal.internal.store.CallState;
import dev.shoal.internal.store.StoredContainer;
import dev.shoal.internal.store.memory.MemoryStore;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.Hello;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Ready;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.StartAppRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A control plane that stops gracefully hands the containers of a backend that can keep them (pods) over to its
 * next life, as a crash would leave them, and stops those of any other backend as before; on the fake clock.
 */
class HandOverTest {
  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore();
  private final FakeBackend backend = new FakeBackend(4);
  private final ControlPlane controlPlane = new ControlPlane(clock, new FakeScheduler(clock), store,
      Duration.ofDays(1), null, backend.name(), null);
  private final RecordingObserver<ContainerCommand> commands = new RecordingObserver<>();
  private String callId;
  private String appId;
  private FakeContainer container;
  private StreamObserver<ContainerMessage> stream;

  /** A run (ephemeral or detached) whose one container runs a spawned call, connected as a container is. */
  private void aContainerRunsASpawnedCall(boolean detach) {
    controlPlane.addBackend(backend);
    appId = controlPlane.startApp(StartAppRequest.newBuilder()
        .setAppName("hand-over")
        .setAppClass("none")
        .setDetach(detach)
        .addFunctions(FunctionDefinition.newBuilder().setName("f").setTimeoutMs(600_000)
            .setStartupTimeoutMs(60_000).setMaxContainers(1).setScaledownWindowMs(600_000))
        .build()).getAppId();
    callId = controlPlane.spawn(List.of(SpawnRequest.newBuilder()
        .setFunctionId(controlPlane.functionId("hand-over", "f").orElseThrow())
        .setArgs(Payload.newBuilder().setData(ByteString.copyFromUtf8("in"))).build())).join().getFirst()
        .getCallId();
    container = backend.container(0);
    stream = new ContainerServiceImpl(controlPlane).serve(commands);
    stream.onNext(ContainerMessage.newBuilder().setHello(Hello.newBuilder()
        .setContainerId(container.spec.containerId()).setToken(container.spec.token())).build());
    stream.onNext(ContainerMessage.newBuilder().setReady(Ready.newBuilder().setWindow(1)).build());
    assertThat(commands.messages).anySatisfy(m -> assertThat(m.getInputs().getInputsList())
        .singleElement().satisfies(in -> assertThat(in.getCallId()).isEqualTo(callId)));
  }

  @Test
  void gracefulStopLeavesAContainerThatCanOutliveItRunningForTheNextLife() {
    backend.handsOver = true;
    aContainerRunsASpawnedCall(false);

    controlPlane.close();

    assertThat(commands.closes).as("its stream breaks as if the control plane had gone; a completed one would"
        + " end it").extracting(Status::getCode).containsExactly(Status.Code.UNAVAILABLE);
    assertThat(commands.messages).noneMatch(ContainerCommand::hasShutdown);
    // The break reaches the container service too; it must not make the container leave its pool.
    stream.onError(Status.UNAVAILABLE.asRuntimeException());
    assertThat(container.wasKilled()).isFalse();
    assertThat(backend.handedOver).isTrue();
    assertThat(store.containers()).extracting(StoredContainer::id).containsExactly(container.spec.containerId());
    assertThat(store.app(appId).orElseThrow().state()).as("the ephemeral run is left as a crash leaves it")
        .isEqualTo(AppState.RUNNING);
    assertThat(store.call(callId).orElseThrow().state()).isNotEqualTo(CallState.CANCELLED);
  }

  @Test
  void containerReconnectingWhileTheControlPlaneStopsIsToldToTryAgain() {
    backend.handsOver = true;
    aContainerRunsASpawnedCall(false);
    controlPlane.close();

    RecordingObserver<ContainerCommand> again = new RecordingObserver<>();
    new ContainerServiceImpl(controlPlane).serve(again).onNext(ContainerMessage.newBuilder().setHello(
        Hello.newBuilder().setContainerId(container.spec.containerId()).setToken(container.spec.token())
            .setResuming(true).addHeldInputIds(callId)).build());

    assertThat(again.closes).extracting(Status::getCode).containsExactly(Status.Code.UNAVAILABLE);
  }

  @Test
  void gracefulStopEndsTheContainersOfABackendThatCannotKeepThem() {
    aContainerRunsASpawnedCall(true);

    controlPlane.close();

    assertThat(container.wasKilled()).isTrue();
    assertThat(backend.handedOver).isFalse();
    assertThat(commands.closes).as("its stream was not broken for a reconnect").extracting(Status::getCode)
        .doesNotContain(Status.Code.UNAVAILABLE);
  }
}
