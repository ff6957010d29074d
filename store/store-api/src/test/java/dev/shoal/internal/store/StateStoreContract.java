package dev.shoal.internal.store;

import static dev.shoal.internal.store.StoreFixtures.app;
import static dev.shoal.internal.store.StoreFixtures.at;
import static dev.shoal.internal.store.StoreFixtures.bytes;
import static dev.shoal.internal.store.StoreFixtures.call;
import static dev.shoal.internal.store.StoreFixtures.completed;
import static dev.shoal.internal.store.StoreFixtures.deployment;
import static dev.shoal.internal.store.StoreFixtures.ended;
import static dev.shoal.internal.store.StoreFixtures.everyByteValue;
import static dev.shoal.internal.store.StoreFixtures.expired;
import static dev.shoal.internal.store.StoreFixtures.keyed;
import static dev.shoal.internal.store.StoreFixtures.mapInput;
import static dev.shoal.internal.store.StoreFixtures.randomBytes;
import static dev.shoal.internal.store.StoreFixtures.run;
import static dev.shoal.internal.store.StoreFixtures.succeeded;
import static dev.shoal.internal.store.StoreFixtures.withAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StateStore} must have, as tests that a store's own test class inherits.
 *
 * <p>A subclass only says how to make a fresh, empty store. The tests pass every instant explicitly, so no store
 * needs a clock, and those instants have whole milliseconds (see {@link StoreFixtures}).
 */
public abstract class StateStoreContract implements FunctionHistoryContract {
  /** The store under test, new and empty for each test. */
  protected StateStore store;

  @Override
  public StateStore store() {
    return store;
  }

  /** Makes a fresh, empty store; called once before each test. */
  protected abstract StateStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // Apps

  @Test
  public void anAppIsReadBackAsItWasPut() {
    StoredApp app = app("app-1", "main", "squares", AppState.DEPLOYED, 3, at(0));
    store.putApp(app);

    assertStored(store.app("app-1"), app);
    assertThat(store.app("app-2")).isEmpty();
  }

  @Test
  public void puttingAnAppAgainReplacesIt() {
    store.putApp(app("app-1", "main", "squares", AppState.RUNNING, 0, at(0)));
    StoredApp replacement = new StoredApp("app-1", "main", "squares", AppState.DETACHED, 0, new byte[0],
        Map.of("other", "fn-other"), at(5));
    store.putApp(replacement);

    assertStored(store.app("app-1"), replacement);
  }

  @Test
  public void settingAnAppsStateChangesOnlyItsState() {
    StoredApp app = run("app-1", AppState.RUNNING, at(0));
    store.putApp(app);

    store.setAppState("app-1", AppState.DETACHED, at(10));
    assertStored(store.app("app-1"), app.withState(AppState.DETACHED));

    store.setAppState("app-1", AppState.STOPPED, at(20));
    assertStored(store.app("app-1"), app.withState(AppState.STOPPED));
  }

  @Test
  public void activeAppsAreTheUnstoppedOnesOldestFirstWithTiesByAppId() {
    store.putApp(run("app-c", AppState.RUNNING, at(200)));
    store.putApp(run("app-b", AppState.DETACHED, at(100)));
    store.putApp(app("app-a", "other", "squares", AppState.DEPLOYED, 1, at(100)));
    store.putApp(run("app-d", AppState.STOPPED, at(50)));
    store.putApp(run("app-e", AppState.RUNNING, at(10)));

    assertThat(store.activeApps()).extracting(StoredApp::appId).containsExactly("app-e", "app-a", "app-b", "app-c");
  }

  @Test
  public void stoppingAnAppRemovesItFromTheActiveApps() {
    store.putApp(run("app-1", AppState.RUNNING, at(0)));
    store.putApp(run("app-2", AppState.DETACHED, at(1)));

    store.setAppState("app-1", AppState.STOPPED, at(2));

    assertThat(store.activeApps()).extracting(StoredApp::appId).containsExactly("app-2");
  }

  @Test
  public void appsOfAnEnvironmentAreNewestFirstHoweverTheyEnded() {
    store.putApp(app("old", "main", "a", AppState.STOPPED, 0, at(0)));
    store.putApp(app("newest", "main", "b", AppState.RUNNING, 0, at(300)));
    store.putApp(app("middle", "main", "a", AppState.DEPLOYED, 1, at(200)));
    store.putApp(app("elsewhere", "staging", "a", AppState.RUNNING, 0, at(250)));

    assertThat(store.apps("main")).extracting(StoredApp::appId).containsExactly("newest", "middle", "old");
    assertThat(store.apps("staging")).extracting(StoredApp::appId).containsExactly("elsewhere");
    assertThat(store.apps("nowhere")).isEmpty();
  }

  @Test
  public void deployedIsTheHighestDeployedVersionOfThatName() {
    store.putApp(deployment("v1", "main", "squares", 1));
    store.putApp(deployment("v3", "main", "squares", 3));
    store.putApp(deployment("v2", "main", "squares", 2));

    assertThat(store.deployed("main", "squares")).map(StoredApp::appId).contains("v3");
  }

  @Test
  public void deployedIgnoresOtherEnvironmentsAndOtherNames() {
    store.putApp(deployment("main-v1", "main", "squares", 1));
    store.putApp(deployment("staging-v5", "staging", "squares", 5));
    store.putApp(deployment("cubes-v9", "main", "cubes", 9));

    assertThat(store.deployed("main", "squares")).map(StoredApp::appId).contains("main-v1");
    assertThat(store.deployed("staging", "squares")).map(StoredApp::appId).contains("staging-v5");
    assertThat(store.deployed("prod", "squares")).isEmpty();
  }

  @Test
  public void deployedSkipsVersionsThatAreNoLongerDeployed() {
    store.putApp(deployment("v1", "main", "squares", 1));
    store.putApp(deployment("v2", "main", "squares", 2));
    store.setAppState("v2", AppState.STOPPED, at(10));

    assertThat(store.deployed("main", "squares")).map(StoredApp::appId).contains("v1");

    store.setAppState("v1", AppState.STOPPED, at(11));
    assertThat(store.deployed("main", "squares")).isEmpty();
  }

  @Test
  public void runsWithTheSameNameAreNotDeployed() {
    store.putApp(app("run", "main", "squares", AppState.RUNNING, 0, at(0)));
    store.putApp(app("detached", "main", "squares", AppState.DETACHED, 0, at(1)));

    assertThat(store.deployed("main", "squares")).isEmpty();
  }

  // Calls

  @Test
  public void insertedCallsArePendingWithTheirInput() {
    StoredCall plain = call("call-1", "app-1", at(0));
    StoredCall input = mapInput("call-2", "app-1", "map-1", 7, at(1));
    store.insertCalls(List.of(plain, input));

    assertStored(store.call("call-1"), plain);
    assertStored(store.call("call-2"), input);
    assertThat(store.call("call-1").orElseThrow())
        .returns(CallState.PENDING, StoredCall::state)
        .returns(1, StoredCall::attempt)
        .returns(null, StoredCall::result)
        .returns(false, StoredCall::expired)
        .returns(null, StoredCall::finishedAt);
    assertThat(store.call("call-3")).isEmpty();
  }

  @Test
  public void emptyBatchesChangeNothing() {
    store.insertCalls(List.of());
    store.completeCalls(List.of());
    store.recordAttempts(List.of());

    assertThat(store.call("call-1")).isEmpty();
  }

  @Test
  public void aBatchWithADuplicateIdInsertsNothingAndThrows() {
    List<StoredCall> batch = List.of(call("call-1", "app-1", at(0)), call("call-2", "app-1", at(0)),
        call("call-1", "app-1", at(1)));

    assertThatThrownBy(() -> store.insertCalls(batch)).isInstanceOf(RuntimeException.class);

    assertThat(store.call("call-1")).isEmpty();
    assertThat(store.call("call-2")).isEmpty();
    assertThat(store.unfinishedCalls("app-1")).isEmpty();
  }

  @Test
  public void aBatchReusingAStoredIdInsertsNothingAndLeavesTheStoredCall() {
    StoredCall existing = call("call-1", "app-1", at(0));
    store.insertCalls(List.of(existing));

    List<StoredCall> batch = List.of(call("call-2", "app-1", at(1)), call("call-1", "app-2", at(1)));
    assertThatThrownBy(() -> store.insertCalls(batch)).isInstanceOf(RuntimeException.class);

    assertThat(store.call("call-2")).isEmpty();
    assertStored(store.call("call-1"), existing);
  }

  @Test
  public void unfinishedCallsAreThePendingCallsOfThatAppOldestFirst() {
    StoredCall third = call("c", "app-1", at(30));
    StoredCall first = call("a", "app-1", at(10));
    StoredCall second = mapInput("b", "app-1", "map-1", 0, at(20));
    store.insertCalls(List.of(third, first, second, call("done", "app-1", at(0)), call("other", "app-2", at(0))));
    store.completeCalls(List.of(succeeded("done", bytes("ok"), at(40))));

    List<StoredCall> unfinished = store.unfinishedCalls("app-1");

    assertThat(unfinished).extracting(StoredCall::callId).containsExactly("a", "b", "c");
    assertStored(Optional.of(unfinished.get(1)), second);
    assertThat(store.unfinishedCalls("app-3")).isEmpty();
  }

  @Test
  public void unfinishedCallsCreatedAtTheSameInstantComeBackInInsertionOrder() {
    List<StoredCall> batch = IntStream.range(0, 50)
        .mapToObj(i -> mapInput("z" + (50 - i), "app-1", "map-1", i, at(0)))
        .toList();
    store.insertCalls(batch.subList(0, 25));
    store.insertCalls(batch.subList(25, 50));

    assertThat(store.unfinishedCalls("app-1")).extracting(StoredCall::callId)
        .containsExactlyElementsOf(batch.stream().map(StoredCall::callId).toList());
  }

  @Test
  public void completingACallRecordsItsOutcomeAndKeepsItsInput() {
    StoredCall call = call("call-1", "app-1", at(0));
    store.insertCalls(List.of(call));
    CallCompletion outcome = succeeded("call-1", bytes("4"), at(50));

    store.completeCalls(List.of(outcome));

    assertStored(store.call("call-1"), completed(call, outcome));
    assertThat(store.unfinishedCalls("app-1")).isEmpty();
  }

  @Test
  public void aBatchOfCompletionsMayMixEveryFinalState() {
    List<StoredCall> calls = List.of(call("s", "app-1", at(0)), call("f", "app-1", at(0)),
        call("c", "app-1", at(0)), call("t", "app-1", at(0)), call("quiet", "app-1", at(0)));
    store.insertCalls(calls);
    List<CallCompletion> outcomes = List.of(ended("s", CallState.SUCCEEDED, at(1)), ended("f", CallState.FAILED, at(2)),
        ended("c", CallState.CANCELLED, at(3)), ended("t", CallState.TIMED_OUT, at(4)),
        succeeded("quiet", null, at(5)));

    store.completeCalls(outcomes);

    for (int i = 0; i < calls.size(); i++) {
      assertStored(store.call(calls.get(i).callId()), completed(calls.get(i), outcomes.get(i)));
    }
  }

  @Test
  public void completingACallTwiceKeepsTheFirstOutcome() {
    StoredCall call = call("call-1", "app-1", at(0));
    store.insertCalls(List.of(call));
    CallCompletion first = succeeded("call-1", bytes("first"), at(10));

    store.completeCalls(List.of(first));
    store.completeCalls(List.of(ended("call-1", CallState.FAILED, at(20))));
    store.completeCalls(List.of(succeeded("call-1", bytes("second"), at(30))));

    assertStored(store.call("call-1"), completed(call, first));
  }

  @Test
  public void aBatchCompletingACallTwiceKeepsTheFirstOfItsOutcomes() {
    StoredCall call = call("call-1", "app-1", at(0));
    store.insertCalls(List.of(call));
    CallCompletion first = ended("call-1", CallState.TIMED_OUT, at(10));

    store.completeCalls(List.of(first, succeeded("call-1", bytes("late"), at(11))));

    assertStored(store.call("call-1"), completed(call, first));
  }

  @Test
  public void completingAnUnknownCallIsIgnored() {
    StoredCall call = call("call-1", "app-1", at(0));
    store.insertCalls(List.of(call));
    CallCompletion outcome = succeeded("call-1", bytes("ok"), at(10));

    store.completeCalls(List.of(succeeded("ghost", bytes("boo"), at(10)), outcome));

    assertThat(store.call("ghost")).isEmpty();
    assertStored(store.call("call-1"), completed(call, outcome));
  }

  @Test
  public void recordingAttemptsUpdatesPendingCalls() {
    StoredCall first = call("call-1", "app-1", at(0));
    StoredCall second = call("call-2", "app-1", at(1));
    store.insertCalls(List.of(first, second));

    store.recordAttempts(List.of(new CallAttempt("call-1", 2), new CallAttempt("ghost", 5)));
    store.recordAttempts(List.of(new CallAttempt("call-1", 3), new CallAttempt("call-2", 2)));

    assertStored(store.call("call-1"), withAttempt(first, 3));
    assertStored(store.call("call-2"), withAttempt(second, 2));
    assertThat(store.unfinishedCalls("app-1")).extracting(StoredCall::attempt).containsExactly(3, 2);
    assertThat(store.call("ghost")).isEmpty();
  }

  @Test
  public void recordingAnAttemptLeavesAFinishedCallAsItWas() {
    StoredCall call = call("call-1", "app-1", at(0));
    store.insertCalls(List.of(call));
    CallCompletion outcome = ended("call-1", CallState.FAILED, at(10));
    store.completeCalls(List.of(outcome));

    store.recordAttempts(List.of(new CallAttempt("call-1", 2)));

    assertStored(store.call("call-1"), completed(call, outcome));
  }

  @Test
  public void oneWriteInsertsThenRecordsAttemptsThenCompletes() {
    StoredCall stored = call("call-0", "app-1", at(0));
    store.insertCalls(List.of(stored));
    StoredCall first = call("call-1", "app-1", at(1));
    StoredCall second = call("call-2", "app-1", at(2));
    CallCompletion outcome = succeeded("call-2", bytes("done"), at(5));
    CallCompletion earlier = succeeded("call-0", bytes("zero"), at(4));

    store.write(List.of(first, second), List.of(new CallAttempt("call-1", 2)), List.of(outcome, earlier));

    assertStored(store.call("call-1"), withAttempt(first, 2));
    assertStored(store.call("call-2"), completed(second, outcome));
    assertStored(store.call("call-0"), completed(stored, earlier));
    assertThat(store.unfinishedCalls("app-1")).extracting(StoredCall::callId).containsExactly("call-1");
  }

  @Test
  public void aWriteWhoseInsertFailsKeepsNothingOfIt() {
    StoredCall existing = call("call-1", "app-1", at(0));
    store.insertCalls(List.of(existing));

    assertThatThrownBy(() -> store.write(List.of(call("call-2", "app-1", at(1)), call("call-1", "app-1", at(1))),
        List.of(new CallAttempt("call-1", 4)), List.of(succeeded("call-1", bytes("no"), at(2)))))
        .isInstanceOf(RuntimeException.class);

    assertThat(store.call("call-2")).isEmpty();
    assertStored(store.call("call-1"), existing);
  }

  @Test
  public void anEmptyWriteDoesNothing() {
    store.write(List.of(), List.of(), List.of());
    assertThat(store.unfinishedCalls("app-1")).isEmpty();
  }

  // Idempotency keys

  @Test
  public void aCallWhoseKeyIsHeldIsLeftOutAndNamesTheCallThatHoldsIt() {
    StoredCall first = keyed("call-1", "app-1", "key-a", at(0));
    assertThat(store.insertCalls(List.of(first))).isEmpty();

    StoredCall other = keyed("call-3", "app-1", "key-b", at(1));
    Map<String, String> duplicates = store.insertCalls(List.of(keyed("call-2", "app-1", "key-a", at(1)), other));

    assertThat(duplicates).containsExactly(Map.entry("call-2", "call-1"));
    assertThat(store.call("call-2")).isEmpty();
    assertStored(store.call("call-1"), first);
    assertStored(store.call("call-3"), other);
    assertThat(store.unfinishedCalls("app-1")).extracting(StoredCall::callId).containsExactly("call-1", "call-3");
  }

  @Test
  public void aCallSentAgainWithTheIdAndKeyOfTheCallThatHoldsTheKeyIsLeftOutRatherThanRefused() {
    StoredCall first = keyed("map-1-0", "app-1", "map-key/0", at(0));
    store.insertCalls(List.of(first));
    store.completeCalls(List.of(succeeded("map-1-0", null, at(1))));

    Map<String, String> duplicates = store.insertCalls(List.of(keyed("map-1-0", "app-1", "map-key/0", at(2)),
        keyed("map-1-1", "app-1", "map-key/1", at(2))));

    assertThat(duplicates).containsExactly(Map.entry("map-1-0", "map-1-0"));
    assertThat(store.call("map-1-0").orElseThrow().state()).isEqualTo(CallState.SUCCEEDED);
    assertThat(store.unfinishedCalls("app-1")).extracting(StoredCall::callId).containsExactly("map-1-1");
  }

  @Test
  public void aCallWhoseKeyIsFreeButWhoseIdIsTakenFailsTheBatch() {
    StoredCall existing = keyed("call-1", "app-1", "key-a", at(0));
    store.insertCalls(List.of(existing));

    assertThatThrownBy(() -> store.insertCalls(List.of(keyed("call-2", "app-1", "key-c", at(1)),
        keyed("call-1", "app-1", "key-b", at(1))))).isInstanceOf(RuntimeException.class);

    assertThat(store.call("call-2")).isEmpty();
    assertThat(store.callWithKey("app-1", "key-c")).isEmpty();
    assertStored(store.call("call-1"), existing);
  }

  @Test
  public void aKeyRepeatedWithinOneBatchInsertsOnlyItsFirstCall() {
    Map<String, String> duplicates = store.insertCalls(List.of(keyed("a", "app-1", "key", at(0)),
        keyed("b", "app-1", "key", at(0)), keyed("c", "app-1", "key", at(0))));

    assertThat(duplicates).containsOnly(Map.entry("b", "a"), Map.entry("c", "a"));
    assertThat(store.unfinishedCalls("app-1")).extracting(StoredCall::callId).containsExactly("a");
  }

  @Test
  public void theSameKeyInTwoAppsMakesTwoCalls() {
    assertThat(store.insertCalls(List.of(keyed("a", "app-1", "key", at(0)), keyed("b", "app-2", "key", at(0)))))
        .isEmpty();

    assertThat(store.callWithKey("app-1", "key")).map(StoredCall::callId).contains("a");
    assertThat(store.callWithKey("app-2", "key")).map(StoredCall::callId).contains("b");
    assertThat(store.callWithKey("app-3", "key")).isEmpty();
  }

  @Test
  public void callsWithoutKeysAreNeverTakenForDuplicates() {
    assertThat(store.insertCalls(List.of(call("a", "app-1", at(0)), call("b", "app-1", at(0))))).isEmpty();
    assertThat(store.insertCalls(List.of(call("c", "app-1", at(0))))).isEmpty();

    assertThat(store.unfinishedCalls("app-1")).hasSize(3);
  }

  @Test
  public void aFinishedCallStillHoldsItsKey() {
    StoredCall first = keyed("call-1", "app-1", "key", at(0));
    store.insertCalls(List.of(first));
    CallCompletion outcome = succeeded("call-1", bytes("done"), at(5));
    store.completeCalls(List.of(outcome));

    assertThat(store.insertCalls(List.of(keyed("call-2", "app-1", "key", at(6)))))
        .containsExactly(Map.entry("call-2", "call-1"));
    assertStored(store.callWithKey("app-1", "key"), completed(first, outcome));
  }

  @Test
  public void aWriteReportsTheCallsItLeftOutForTheirKeys() {
    store.insertCalls(List.of(keyed("call-1", "app-1", "key", at(0))));

    Map<String, String> duplicates = store.write(List.of(keyed("call-2", "app-1", "key", at(1))),
        List.of(new CallAttempt("call-1", 2)), List.of());

    assertThat(duplicates).containsExactly(Map.entry("call-2", "call-1"));
    assertThat(store.call("call-1").orElseThrow().attempt()).isEqualTo(2);
    assertThat(store.call("call-2")).isEmpty();
  }

  @Test
  public void aBatchThatFailsForADuplicateIdTakesNoKey() {
    List<StoredCall> broken = List.of(keyed("call-1", "app-1", "key", at(0)), call("call-1", "app-1", at(0)));
    assertThatThrownBy(() -> store.insertCalls(broken)).isInstanceOf(RuntimeException.class);

    assertThat(store.insertCalls(List.of(keyed("call-2", "app-1", "key", at(1))))).isEmpty();
    assertThat(store.callWithKey("app-1", "key")).map(StoredCall::callId).contains("call-2");
  }

  @Test
  public void expiryForgetsAKeySoThatALaterCallMayTakeIt() {
    StoredCall first = keyed("call-1", "app-1", "key", at(0));
    store.insertCalls(List.of(first));
    CallCompletion outcome = succeeded("call-1", bytes("done"), at(5));
    store.completeCalls(List.of(outcome));

    assertThat(store.expireFinishedBefore(at(10))).isEqualTo(1);

    assertThat(store.callWithKey("app-1", "key")).isEmpty();
    assertStored(store.call("call-1"), expired(first, outcome));
    assertThat(store.call("call-1").orElseThrow().idempotencyKey()).isNull();
    StoredCall later = keyed("call-2", "app-1", "key", at(11));
    assertThat(store.insertCalls(List.of(later))).isEmpty();
    assertStored(store.callWithKey("app-1", "key"), later);
  }

  // Detached maps

  @Test
  public void aMapIsReadBackAsItWasInserted() {
    StoredMap map = new StoredMap("map-1", "app-1", "fn-square", 1_000_000, at(0));
    store.insertMap(map);

    assertThat(store.map("map-1")).contains(map);
    assertThat(store.map("map-2")).isEmpty();
  }

  @Test
  public void mapCountsCountTheMapsInputsByState() {
    store.insertMap(new StoredMap("map-1", "app-1", "app-1-fn-square", 7, at(0)));
    List<StoredCall> inputs = IntStream.range(0, 7).mapToObj(i -> mapInput("in-" + i, "app-1", "map-1", i, at(0)))
        .toList();
    store.insertCalls(inputs);
    store.insertCalls(List.of(mapInput("elsewhere", "app-1", "map-2", 0, at(0)), call("plain", "app-1", at(0))));
    store.completeCalls(List.of(succeeded("in-0", null, at(1)), succeeded("in-1", null, at(1)),
        ended("in-2", CallState.FAILED, at(1)), ended("in-3", CallState.TIMED_OUT, at(1)),
        ended("in-4", CallState.CANCELLED, at(1)), succeeded("elsewhere", null, at(1))));

    MapCounts counts = store.mapCounts("map-1");

    assertThat(counts).isEqualTo(new MapCounts(2, 2, 2, 1));
    assertThat(counts.total()).isEqualTo(7);
  }

  @Test
  public void mapCountsOfAnUnknownMapAreZero() {
    assertThat(store.mapCounts("map-1")).isEqualTo(new MapCounts(0, 0, 0, 0));
  }

  // Expiry

  @Test
  public void expiryForgetsThePayloadsOfCallsFinishedBeforeTheCutoffButKeepsAMarker() {
    StoredCall early = call("early", "app-1", at(0));
    StoredCall failed = mapInput("failed", "app-1", "map-1", 0, at(0));
    store.insertCalls(List.of(early, failed));
    CallCompletion earlyOutcome = succeeded("early", bytes("result"), at(10));
    CallCompletion failedOutcome = ended("failed", CallState.FAILED, at(20));
    store.completeCalls(List.of(earlyOutcome, failedOutcome));

    assertThat(store.expireFinishedBefore(at(100))).isEqualTo(2);

    assertStored(store.call("early"), expired(early, earlyOutcome));
    assertStored(store.call("failed"), expired(failed, failedOutcome));
    assertThat(store.mapCounts("map-1")).isEqualTo(new MapCounts(0, 0, 1, 0));
  }

  @Test
  public void expiryLeavesPendingCallsAndCallsFinishedAtOrAfterTheCutoff() {
    StoredCall pending = call("pending", "app-1", at(0));
    StoredCall atCutoff = call("at-cutoff", "app-1", at(0));
    StoredCall later = call("later", "app-1", at(0));
    store.insertCalls(List.of(pending, atCutoff, later));
    CallCompletion atCutoffOutcome = succeeded("at-cutoff", bytes("a"), at(100));
    CallCompletion laterOutcome = ended("later", CallState.CANCELLED, at(101));
    store.completeCalls(List.of(atCutoffOutcome, laterOutcome));

    assertThat(store.expireFinishedBefore(at(100))).isZero();

    assertStored(store.call("pending"), pending);
    assertStored(store.call("at-cutoff"), completed(atCutoff, atCutoffOutcome));
    assertStored(store.call("later"), completed(later, laterOutcome));
    assertThat(store.unfinishedCalls("app-1")).extracting(StoredCall::callId).containsExactly("pending");
  }

  @Test
  public void expiringAgainCountsOnlyCallsNotExpiredBefore() {
    store.insertCalls(List.of(call("a", "app-1", at(0)), call("b", "app-1", at(0))));
    store.completeCalls(List.of(succeeded("a", bytes("a"), at(10)), succeeded("b", bytes("b"), at(20))));

    assertThat(store.expireFinishedBefore(at(15))).isEqualTo(1);
    assertThat(store.expireFinishedBefore(at(15))).isZero();
    assertThat(store.expireFinishedBefore(at(25))).isEqualTo(1);
    assertThat(store.call("a").orElseThrow().expired()).isTrue();
  }

  // Payloads

  @Test
  public void payloadsRoundTripByteExactly() {
    byte[] large = randomBytes(1 << 20, 42);
    store.putApp(new StoredApp("app-1", "main", "n", AppState.RUNNING, 0, large, Map.of(), at(0)));
    StoredCall everyValue = StoredCall.pending("every", "app-1", "fn", null, 0, everyByteValue(), at(0));
    StoredCall big = StoredCall.pending("big", "app-1", "fn", null, 0, large, at(0));
    store.insertCalls(List.of(everyValue, big));
    CallCompletion bigResult = succeeded("big", randomBytes(1 << 20, 43), at(1));
    CallCompletion everyResult = succeeded("every", everyByteValue(), at(1));

    store.completeCalls(List.of(bigResult, everyResult));

    assertThat(store.app("app-1").orElseThrow().spec()).isEqualTo(large);
    assertStored(store.call("every"), completed(everyValue, everyResult));
    assertStored(store.call("big"), completed(big, bigResult));
  }

  @Test
  public void emptyPayloadsStayEmptyRatherThanBecomingAbsent() {
    store.putApp(new StoredApp("app-1", "main", "n", AppState.RUNNING, 0, new byte[0], Map.of(), at(0)));
    store.insertCalls(List.of(StoredCall.pending("call-1", "app-1", "fn", null, 0, new byte[0], at(0))));
    store.completeCalls(List.of(succeeded("call-1", new byte[0], at(1))));

    assertThat(store.app("app-1").orElseThrow().spec()).isEmpty();
    assertThat(store.app("app-1").orElseThrow().functionIds()).isEmpty();
    StoredCall call = store.call("call-1").orElseThrow();
    assertThat(call.args()).isNotNull().isEmpty();
    assertThat(call.result()).isNotNull().isEmpty();
  }

  // Blobs

  @Test
  public void anArgumentsCodecAndBlobAreReadBackAsInserted() {
    StoredCall inBlob = StoredCall.pending("in-blob", "app-1", "fn", null, 0, 1, new byte[0], "a".repeat(64), at(0));
    StoredCall otherCodec = StoredCall.pending("other-codec", "app-1", "fn", "map-1", 3, 7, bytes("x"), null, at(1));
    store.insertCalls(List.of(inBlob, otherCodec));

    assertStored(store.call("in-blob"), inBlob);
    assertStored(store.call("other-codec"), otherCodec);
    assertThat(store.unfinishedCalls("app-1"))
        .extracting(StoredCall::argsCodec, StoredCall::argsBlob)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "a".repeat(64)),
            org.assertj.core.groups.Tuple.tuple(7, null));
  }

  @Test
  public void blobsInUseAreThoseOfPendingArgumentsAndOfResultsNotExpired() {
    String pendingArgs = "1".repeat(64);
    String finishedArgs = "2".repeat(64);
    String keptResult = "3".repeat(64);
    String droppedResult = "4".repeat(64);
    store.insertCalls(List.of(
        StoredCall.pending("pending", "app-1", "fn", null, 0, 1, new byte[0], pendingArgs, at(0)),
        StoredCall.pending("finished", "app-1", "fn", null, 0, 1, new byte[0], finishedArgs, at(0)),
        StoredCall.pending("map-success", "app-1", "fn", "map-1", 0, 1, bytes("x"), null, at(0))));
    assertThat(store.blobsInUse()).containsExactlyInAnyOrder(pendingArgs, finishedArgs);

    CallCompletion kept = new CallCompletion("finished", CallState.SUCCEEDED, bytes("r"), at(10), keptResult);
    // A detached map's success keeps no result, so it keeps no blob either.
    CallCompletion dropped = new CallCompletion("map-success", CallState.SUCCEEDED, null, at(10), droppedResult);
    store.completeCalls(List.of(kept, dropped));

    assertThat(store.blobsInUse()).containsExactlyInAnyOrder(pendingArgs, keptResult);
    assertThat(store.call("finished").orElseThrow())
        .returns(finishedArgs, StoredCall::argsBlob)
        .returns(keptResult, StoredCall::resultBlob);
    assertThat(store.call("map-success").orElseThrow().resultBlob()).isNull();

    assertThat(store.expireFinishedBefore(at(100))).isEqualTo(2);
    assertThat(store.blobsInUse()).containsExactly(pendingArgs);
    assertThat(store.call("finished").orElseThrow())
        .returns(null, StoredCall::argsBlob)
        .returns(null, StoredCall::resultBlob);
  }

  // Secrets

  @Test
  public void aSecretIsReadBackAsItWasInsertedAndListedByName() {
    StoredSecret b = new StoredSecret("b-creds", List.of("TOKEN"), bytes("sealed-b"), at(0), at(0));
    StoredSecret a = new StoredSecret("a-creds", List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
        everyByteValue(), at(5), at(5));

    assertThat(store.insertSecret(b)).isTrue();
    assertThat(store.insertSecret(a)).isTrue();

    assertSameSecret(store.secret("a-creds").orElseThrow(), a);
    assertThat(store.secrets()).extracting(StoredSecret::name).containsExactly("a-creds", "b-creds");
    assertThat(store.secret("c-creds")).isEmpty();
  }

  @Test
  public void aTakenSecretNameIsNotInsertedAgain() {
    StoredSecret first = new StoredSecret("creds", List.of("A"), bytes("sealed-1"), at(0), at(0));
    store.insertSecret(first);

    assertThat(store.insertSecret(new StoredSecret("creds", List.of("B"), bytes("sealed-2"), at(9), at(9)))).isFalse();

    assertSameSecret(store.secret("creds").orElseThrow(), first);
  }

  @Test
  public void aReplacedSecretKeepsItsCreationAndTakesTheNewKeysAndValues() {
    store.insertSecret(new StoredSecret("creds", List.of("A"), bytes("sealed-1"), at(0), at(0)));

    store.replaceSecret(new StoredSecret("creds", List.of("B", "C"), bytes("sealed-78"), at(9), at(9)));
    store.replaceSecret(new StoredSecret("fresh", List.of(), bytes("sealed-4"), at(10), at(10)));

    assertSameSecret(store.secret("creds").orElseThrow(),
        new StoredSecret("creds", List.of("B", "C"), bytes("sealed-78"), at(0), at(9)));
    assertSameSecret(store.secret("fresh").orElseThrow(),
        new StoredSecret("fresh", List.of(), bytes("sealed-4"), at(10), at(10)));
  }

  @Test
  public void aDeletedSecretIsGone() {
    store.insertSecret(new StoredSecret("creds", List.of("A"), bytes("sealed-1"), at(0), at(0)));

    assertThat(store.deleteSecret("creds")).isTrue();
    assertThat(store.deleteSecret("creds")).isFalse();
    assertThat(store.secret("creds")).isEmpty();
    assertThat(store.secrets()).isEmpty();
  }

  // Containers

  @Test
  public void storedContainersAreReadBackOldestFirst() {
    StoredContainer later = new StoredContainer("ct-2", "app-1", "fn-1", "ab".repeat(32), "shoal-ct-2", at(5));
    StoredContainer earlier = new StoredContainer("ct-1", "app-1", "fn-2", "cd".repeat(32), "shoal-ct-1", at(1));

    store.insertContainer(later);
    store.insertContainer(earlier);

    assertThat(store.containers()).containsExactly(earlier, later);
  }

  @Test
  public void aContainerStoredTwiceKeepsItsFirstRow() {
    StoredContainer first = new StoredContainer("ct-1", "app-1", "fn-1", "ab".repeat(32), "shoal-ct-1", at(1));
    store.insertContainer(first);

    store.insertContainer(new StoredContainer("ct-1", "app-2", "fn-2", "cd".repeat(32), "other", at(2)));

    assertThat(store.containers()).containsExactly(first);
  }

  @Test
  public void aDeletedContainerIsGone() {
    StoredContainer kept = new StoredContainer("ct-1", "app-1", "fn-1", "ab".repeat(32), "shoal-ct-1", at(1));
    store.insertContainer(kept);
    store.insertContainer(new StoredContainer("ct-2", "app-1", "fn-1", "cd".repeat(32), "shoal-ct-2", at(2)));

    assertThat(store.deleteContainer("ct-2")).isTrue();
    assertThat(store.deleteContainer("ct-2")).isFalse();
    assertThat(store.containers()).containsExactly(kept);
  }

  private static void assertSameSecret(StoredSecret actual, StoredSecret expected) {
    assertThat(actual).usingRecursiveComparison()
        .withEqualsForType(Arrays::equals, byte[].class)
        .isEqualTo(expected);
  }

  // Concurrency

  @Test
  public void concurrentWritersOfDistinctCallsLoseNothing() throws Exception {
    int writers = 8;
    int batches = 20;
    int batchSize = 25;
    store.insertMap(new StoredMap("map-1", "app-1", "fn", (long) writers * batches * batchSize, at(0)));

    Concurrently.run(writers, writer -> {
      for (int b = 0; b < batches; b++) {
        List<StoredCall> calls = new ArrayList<>();
        List<CallCompletion> outcomes = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
          String id = "w" + writer + "-b" + b + "-i" + i;
          calls.add(mapInput(id, "app-1", "map-1", (long) (writer * batches + b) * batchSize + i, at(b)));
          outcomes.add(succeeded(id, bytes(id), at(1000 + b)));
        }
        store.insertCalls(calls);
        store.completeCalls(outcomes.subList(0, batchSize - 5));
      }
    });

    int total = writers * batches * batchSize;
    assertThat(store.mapCounts("map-1")).isEqualTo(new MapCounts(total / 5, total * 4L / 5, 0, 0));
    assertThat(store.unfinishedCalls("app-1")).hasSize(total / 5);
    StoredCall sample = store.call("w3-b7-i2").orElseThrow();
    assertThat(sample.state()).isEqualTo(CallState.SUCCEEDED);
    assertThat(sample.result()).isEqualTo(bytes("w3-b7-i2"));
  }

  @Test
  public void racingCompletionsLeaveEachCallWithExactlyOneOfTheOutcomes() throws Exception {
    int calls = 200;
    store.insertCalls(IntStream.range(0, calls).mapToObj(i -> call("call-" + i, "app-1", at(0))).toList());

    // Each racer completes every call with an outcome of its own, as when a function ran twice.
    int racers = 4;
    Concurrently.run(racers, racer -> {
      for (int from = 0; from < calls; from += 20) {
        List<CallCompletion> outcomes = new ArrayList<>();
        for (int i = from; i < from + 20; i++) {
          CallState state = racer % 2 == 0 ? CallState.SUCCEEDED : CallState.FAILED;
          outcomes.add(new CallCompletion("call-" + i, state, bytes("racer " + racer), at(100 + racer)));
        }
        store.completeCalls(outcomes);
      }
    });

    for (int i = 0; i < calls; i++) {
      StoredCall call = store.call("call-" + i).orElseThrow();
      int racer = (int) (call.finishedAt().toEpochMilli() - at(100).toEpochMilli());
      assertThat(racer).isBetween(0, racers - 1);
      assertThat(call.state()).isEqualTo(racer % 2 == 0 ? CallState.SUCCEEDED : CallState.FAILED);
      assertThat(call.result()).isEqualTo(bytes("racer " + racer));
    }
    assertThat(store.unfinishedCalls("app-1")).isEmpty();
  }

  /** Asserts that a stored record equals the expected one, comparing byte arrays by content. */
  protected static <T> void assertStored(Optional<T> actual, T expected) {
    assertThat(actual).isPresent();
    // Arrays.equals rather than AssertJ's element-by-element walk, which takes seconds for a megabyte.
    assertThat(actual.orElseThrow())
        .usingRecursiveComparison()
        .withEqualsForType(Arrays::equals, byte[].class)
        .isEqualTo(expected);
  }
}
