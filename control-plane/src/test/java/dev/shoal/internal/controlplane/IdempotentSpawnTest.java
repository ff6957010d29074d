package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.shoal.internal.store.CallCompletion;
import dev.shoal.internal.store.CallState;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredCall;
import dev.shoal.internal.store.memory.MemoryStore;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.MapInput;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spawns that carry an idempotency key: a key sent again, in the same batch, a later one or after a restart, gets
 * the first call's id and makes no second call. No container ever starts here (the backend has no room), so every
 * call stays queued where the test can count it.
 */
class IdempotentSpawnTest {
  private final StateStore store = new MemoryStore();
  private ControlPlane controlPlane = start();

  @AfterEach
  void stop() {
    controlPlane.close();
  }

  private ControlPlane start() {
    ControlPlane cp = new ControlPlane(Clock.systemUTC(), store, Duration.ofDays(1), null, "none");
    cp.addBackend(new NoRoomBackend());
    return cp;
  }

  private StartAppResponse detachedApp(String name) {
    return controlPlane.startApp(StartAppRequest.newBuilder()
        .setAppName(name)
        .setAppClass("example.App")
        .setDetach(true)
        .addFunctions(FunctionDefinition.newBuilder().setName("square").setTimeoutMs(60_000))
        .build());
  }

  private static SpawnRequest spawn(String functionId, String key, int argument) {
    return SpawnRequest.newBuilder()
        .setFunctionId(functionId)
        .setArgs(Payload.newBuilder().setCodec(1).setData(ByteString.copyFromUtf8("arg " + argument)))
        .setIdempotencyKey(key)
        .build();
  }

  private List<SpawnOutcome> spawnAll(SpawnRequest... spawns) {
    return controlPlane.spawn(List.of(spawns)).join();
  }

  @Test
  void aSpawnSentAgainWithItsKeyGetsTheFirstCallsIdAndMakesNoSecondCall() {
    StartAppResponse app = detachedApp("keys");
    String fn = app.getFunctionIdsOrThrow("square");

    String first = spawnAll(spawn(fn, "key-1", 1)).getFirst().getCallId();
    String again = spawnAll(spawn(fn, "key-1", 1)).getFirst().getCallId();

    assertThat(again).isEqualTo(first);
    assertThat(store.unfinishedCalls(app.getAppId())).extracting(StoredCall::callId).containsExactly(first);
    assertThat(controlPlane.functionStats(fn).queuedInputs()).isEqualTo(1);
  }

  @Test
  void aKeyRepeatedWithinOneBatchMakesOneCall() {
    StartAppResponse app = detachedApp("keys");
    String fn = app.getFunctionIdsOrThrow("square");

    List<SpawnOutcome> outcomes = spawnAll(spawn(fn, "key-1", 1), spawn(fn, "key-2", 2), spawn(fn, "key-1", 1));

    assertThat(outcomes.get(2).getCallId()).isEqualTo(outcomes.get(0).getCallId());
    assertThat(outcomes.get(1).getCallId()).isNotEqualTo(outcomes.get(0).getCallId());
    assertThat(store.unfinishedCalls(app.getAppId())).hasSize(2);
    assertThat(controlPlane.functionStats(fn).queuedInputs()).isEqualTo(2);
  }

  @Test
  void spawnsWithoutKeysAreEachANewCall() {
    StartAppResponse app = detachedApp("keys");
    String fn = app.getFunctionIdsOrThrow("square");

    List<SpawnOutcome> outcomes = spawnAll(spawn(fn, "", 1), spawn(fn, "", 1));

    assertThat(outcomes).extracting(SpawnOutcome::getCallId).doesNotHaveDuplicates();
    assertThat(store.unfinishedCalls(app.getAppId())).hasSize(2);
  }

  @Test
  void theSameKeyInAnotherAppMakesThatAppsOwnCall() {
    String one = detachedApp("one").getFunctionIdsOrThrow("square");
    String two = detachedApp("two").getFunctionIdsOrThrow("square");

    String inOne = spawnAll(spawn(one, "shared-key", 1)).getFirst().getCallId();
    String inTwo = spawnAll(spawn(two, "shared-key", 1)).getFirst().getCallId();

    assertThat(inTwo).isNotEqualTo(inOne);
    assertThat(controlPlane.functionStats(two).queuedInputs()).isEqualTo(1);
  }

  @Test
  void aKeyThatBreaksTheRuleFailsThatSpawnAloneAndNamesTheRule() {
    String fn = detachedApp("keys").getFunctionIdsOrThrow("square");

    List<SpawnOutcome> outcomes = spawnAll(spawn(fn, "has a space", 1), spawn(fn, "fine", 2));

    assertThat(outcomes.get(0).getErrorCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(outcomes.get(0).getErrorMessage())
        .contains("idempotency key must be 1..128 printable ASCII characters without spaces", "'has a space'");
    assertThat(outcomes.get(1).getCallId()).startsWith("fc-");
  }

  @Test
  void aKeyOfACallPutBackAfterARestartGetsThatCall() {
    StartAppResponse app = detachedApp("keys");
    String fn = app.getFunctionIdsOrThrow("square");
    String first = spawnAll(spawn(fn, "key-1", 1)).getFirst().getCallId();
    controlPlane.close();

    controlPlane = start();
    controlPlane.recover();

    assertThat(spawnAll(spawn(fn, "key-1", 1)).getFirst().getCallId()).isEqualTo(first);
    assertThat(controlPlane.functionStats(fn).queuedInputs()).isEqualTo(1);
    assertThat(store.unfinishedCalls(app.getAppId())).hasSize(1);
  }

  @Test
  void aKeyOfACallThatFinishedBeforeARestartGetsThatCallAndRunsNothing() {
    StartAppResponse app = detachedApp("keys");
    String fn = app.getFunctionIdsOrThrow("square");
    String first = spawnAll(spawn(fn, "key-1", 1)).getFirst().getCallId();
    controlPlane.close();
    store.completeCalls(List.of(new CallCompletion(first, CallState.SUCCEEDED, new byte[] {1}, Instant.now())));

    controlPlane = start();
    controlPlane.recover();

    assertThat(spawnAll(spawn(fn, "key-1", 1)).getFirst().getCallId()).isEqualTo(first);
    assertThat(controlPlane.functionStats(fn).queuedInputs()).isZero();
    assertThat(store.unfinishedCalls(app.getAppId())).isEmpty();
  }

  private static List<MapInput> inputs(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> MapInput.newBuilder().setIndex(i)
        .setArgs(Payload.newBuilder().setCodec(1).setData(ByteString.copyFromUtf8("input " + i))).build()).toList();
  }

  @Test
  void aDetachedMapUploadedAgainWithItsKeyStoresAndQueuesOnlyTheInputsItLacked() {
    StartAppResponse app = detachedApp("maps");
    String fn = app.getFunctionIdsOrThrow("square");
    SpawnMapSession broken = controlPlane.openSpawnMap(fn, "map-key");
    broken.add(inputs(0, 10));
    broken.disconnected();

    SpawnMapSession again = controlPlane.openSpawnMap(fn, "map-key");
    again.add(inputs(0, 8));
    again.add(inputs(8, 25));
    again.end(25);

    assertThat(again.mapId()).isEqualTo(broken.mapId());
    assertThat(store.mapCounts(again.mapId()).total()).isEqualTo(25);
    assertThat(store.map(again.mapId()).orElseThrow().total()).isEqualTo(25);
    assertThat(controlPlane.functionStats(fn).queuedInputs()).isEqualTo(25);
  }

  @Test
  void aDetachedMapUploadedAgainAfterItWasStoredWholeGetsTheSameMapAndStoresNothing() {
    String fn = detachedApp("maps").getFunctionIdsOrThrow("square");
    SpawnMapSession first = controlPlane.openSpawnMap(fn, "map-key");
    first.add(inputs(0, 5));
    first.end(5);

    SpawnMapSession again = controlPlane.openSpawnMap(fn, "map-key");
    again.add(inputs(0, 5));
    again.end(5);

    assertThat(again.mapId()).isEqualTo(first.mapId());
    assertThat(store.mapCounts(first.mapId()).total()).isEqualTo(5);
    assertThat(controlPlane.functionStats(fn).queuedInputs()).isEqualTo(5);
  }

  @Test
  void aDetachedMapCutOffByARestartIsResumedUnderItsIdByAnUploadWithItsKey() {
    StartAppResponse app = detachedApp("maps");
    String fn = app.getFunctionIdsOrThrow("square");
    SpawnMapSession broken = controlPlane.openSpawnMap(fn, "map-key");
    broken.add(inputs(0, 10));
    controlPlane.close();

    controlPlane = start();
    controlPlane.recover();
    SpawnMapSession again = controlPlane.openSpawnMap(fn, "map-key");
    again.add(inputs(0, 30));
    again.end(30);

    assertThat(again.mapId()).isEqualTo(broken.mapId());
    assertThat(store.mapCounts(again.mapId()).total()).isEqualTo(30);
    assertThat(controlPlane.functionStats(fn).queuedInputs()).isEqualTo(30);
  }

  @Test
  void aDetachedMapWithoutAKeyWhoseUploadBrokeIsCancelled() {
    String fn = detachedApp("maps").getFunctionIdsOrThrow("square");
    SpawnMapSession broken = controlPlane.openSpawnMap(fn, "");
    broken.add(inputs(0, 10));

    broken.disconnected();

    assertThat(store.mapCounts(broken.mapId()).cancelled()).isEqualTo(10);
  }

  @Test
  void theSameMapKeyInAnotherAppIsAnotherMap() {
    String one = detachedApp("one").getFunctionIdsOrThrow("square");
    String two = detachedApp("two").getFunctionIdsOrThrow("square");
    SpawnMapSession inOne = controlPlane.openSpawnMap(one, "map-key");
    inOne.add(inputs(0, 3));
    inOne.end(3);

    SpawnMapSession inTwo = controlPlane.openSpawnMap(two, "map-key");
    inTwo.add(inputs(0, 3));
    inTwo.end(3);

    assertThat(inTwo.mapId()).isNotEqualTo(inOne.mapId());
    assertThat(controlPlane.functionStats(two).queuedInputs()).isEqualTo(3);
  }
}
