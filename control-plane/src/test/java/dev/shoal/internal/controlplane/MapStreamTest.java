package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.store.memory.MemoryStore;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.MapEnd;
import dev.shoal.protocol.v1.MapInput;
import dev.shoal.protocol.v1.MapInputs;
import dev.shoal.protocol.v1.MapRequest;
import dev.shoal.protocol.v1.MapResponse;
import dev.shoal.protocol.v1.MapStart;
import dev.shoal.protocol.v1.SpawnMapRequest;
import dev.shoal.protocol.v1.SpawnMapResponse;
import dev.shoal.protocol.v1.StartAppRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Map and SpawnMap streams take their requests in order, and close their response stream exactly once. */
class MapStreamTest {
  private ControlPlane controlPlane;
  private ClientServiceImpl service;
  private String functionId;

  @BeforeEach
  void start() {
    controlPlane = new ControlPlane(Clock.systemUTC(), new MemoryStore(), Duration.ofDays(1), null, "idle");
    controlPlane.addBackend(new IdleBackend());
    service = new ClientServiceImpl(controlPlane);
    functionId = controlPlane.startApp(StartAppRequest.newBuilder()
        .setAppName("maps")
        .setAppClass("example.Maps")
        .addFunctions(FunctionDefinition.newBuilder().setName("f").setTimeoutMs(1_000))
        .setDetach(true)
        .build()).getFunctionIdsOrThrow("f");
  }

  @AfterEach
  void stop() {
    controlPlane.close();
  }

  private static MapRequest start(String functionId) {
    return MapRequest.newBuilder().setStart(MapStart.newBuilder().setFunctionId(functionId)).build();
  }

  private static MapRequest end(long total) {
    return MapRequest.newBuilder().setEnd(MapEnd.newBuilder().setTotal(total)).build();
  }

  @Test
  void aMapWhoseEndMiscountsItsInputsIsClosedOnceWithInvalidArgument() {
    RecordingObserver<MapResponse> out = new RecordingObserver<>();
    StreamObserver<MapRequest> in = service.map(out);
    in.onNext(start(functionId));
    in.onNext(end(3));
    in.onNext(end(0));
    in.onCompleted();
    assertThat(out.closes).extracting(Status::getCode).containsExactly(Status.Code.INVALID_ARGUMENT);
    assertThat(out.closes.getFirst().getDescription()).contains("ended with total 3 but sent 0 inputs");
  }

  @Test
  void aSecondMapStartIsRefusedOnceAndWhatFollowsIsIgnored() {
    RecordingObserver<MapResponse> out = new RecordingObserver<>();
    StreamObserver<MapRequest> in = service.map(out);
    in.onNext(start(functionId));
    in.onNext(start(functionId));
    in.onNext(MapRequest.newBuilder().setInputs(MapInputs.newBuilder().addInputs(MapInput.newBuilder())).build());
    in.onCompleted();
    assertThat(out.messages).hasSize(1);
    assertThat(out.closes).extracting(Status::getCode).containsExactly(Status.Code.INVALID_ARGUMENT);
    assertThat(out.closes.getFirst().getDescription()).contains("a map starts once");
  }

  @Test
  void inputsMustBeNumberedFromZeroInTheOrderSent() {
    RecordingObserver<MapResponse> out = new RecordingObserver<>();
    StreamObserver<MapRequest> in = service.map(out);
    in.onNext(start(functionId));
    in.onNext(MapRequest.newBuilder().setInputs(MapInputs.newBuilder()
        .addInputs(MapInput.newBuilder().setIndex(-1L))).build());
    assertThat(out.closes).extracting(Status::getCode).containsExactly(Status.Code.INVALID_ARGUMENT);
    assertThat(out.closes.getFirst().getDescription()).contains("expected index 0 but got 18446744073709551615");
  }

  @Test
  void inputsBeforeStartAndAnEmptyRequestAreRefusedOnce() {
    RecordingObserver<MapResponse> first = new RecordingObserver<>();
    StreamObserver<MapRequest> in = service.map(first);
    in.onNext(MapRequest.getDefaultInstance());
    in.onNext(MapRequest.getDefaultInstance());
    assertThat(first.closes).extracting(Status::getCode).containsExactly(Status.Code.INVALID_ARGUMENT);

    RecordingObserver<MapResponse> second = new RecordingObserver<>();
    in = service.map(second);
    in.onNext(end(0));
    in.onCompleted();
    assertThat(second.closes).extracting(Status::getCode).containsExactly(Status.Code.INVALID_ARGUMENT);
    assertThat(second.closes.getFirst().getDescription()).contains("must start with MapStart");
  }

  @Test
  void aMapWhoseCallerHalfClosesWithoutEndIsRefusedRatherThanLeftOpen() {
    RecordingObserver<MapResponse> out = new RecordingObserver<>();
    StreamObserver<MapRequest> in = service.map(out);
    in.onNext(start(functionId));
    in.onCompleted();
    assertThat(out.closes).extracting(Status::getCode).containsExactly(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aMapCancelledByItsCallerIsNotClosedAgain() {
    RecordingObserver<MapResponse> out = new RecordingObserver<>();
    StreamObserver<MapRequest> in = service.map(out);
    in.onNext(start(functionId));
    out.cancelByClient();
    in.onNext(end(0));
    assertThat(out.closes).isEmpty();
  }

  @Test
  void anEmptyMapCompletesOnce() {
    RecordingObserver<MapResponse> out = new RecordingObserver<>();
    StreamObserver<MapRequest> in = service.map(out);
    in.onNext(start(functionId));
    in.onNext(end(0));
    in.onCompleted();
    assertThat(out.closes).containsExactly(Status.OK);
  }

  @Test
  void aSpawnMapWhoseEndMiscountsIsClosedOnceAndIgnoresWhatFollows() {
    RecordingObserver<SpawnMapResponse> out = new RecordingObserver<>();
    StreamObserver<SpawnMapRequest> in = service.spawnMap(out);
    in.onNext(SpawnMapRequest.newBuilder().setStart(MapStart.newBuilder().setFunctionId(functionId)).build());
    in.onNext(SpawnMapRequest.newBuilder().setEnd(MapEnd.newBuilder().setTotal(2)).build());
    in.onNext(SpawnMapRequest.newBuilder().setInputs(MapInputs.newBuilder().addInputs(MapInput.newBuilder()))
        .build());
    in.onNext(SpawnMapRequest.newBuilder().setEnd(MapEnd.newBuilder().setTotal(1)).build());
    in.onCompleted();
    assertThat(out.closes).extracting(Status::getCode).containsExactly(Status.Code.INVALID_ARGUMENT);
    assertThat(out.messages).isEmpty();
  }

  @Test
  void aSecondSpawnMapStartIsRefusedOnce() {
    RecordingObserver<SpawnMapResponse> out = new RecordingObserver<>();
    StreamObserver<SpawnMapRequest> in = service.spawnMap(out);
    SpawnMapRequest start =
        SpawnMapRequest.newBuilder().setStart(MapStart.newBuilder().setFunctionId(functionId)).build();
    in.onNext(start);
    in.onNext(start);
    in.onCompleted();
    assertThat(out.closes).extracting(Status::getCode).containsExactly(Status.Code.INVALID_ARGUMENT);
    assertThat(out.closes.getFirst().getDescription()).contains("a spawnMap starts once");
  }
}
