package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.shoal.AppRun;
import dev.shoal.Args;
import dev.shoal.Args2;
import dev.shoal.CallStatus;
import dev.shoal.CallTimeoutException;
import dev.shoal.CancelledException;
import dev.shoal.FunctionCall;
import dev.shoal.InvalidOptionException;
import dev.shoal.MapCall;
import dev.shoal.MapOptions;
import dev.shoal.RemoteException;
import dev.shoal.Result;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.codec.Codec;
import dev.shoal.internal.embedded.EmbeddedEngine;
import dev.shoal.it.apps.TestApp;
import dev.shoal.it.apps.TestApp.Point;
import dev.shoal.protocol.v1.CallRequest;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.ResultStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The core engine end to end, with each container its own JVM process. */
class CoreEngineTest {
  private static AppRun run;

  @BeforeAll
  static void start() {
    run = TestApp.app.run();
  }

  @AfterAll
  static void stop() {
    run.close();
  }

  @Test
  void remoteReturnsTheFunctionsResult() {
    assertThat(TestApp.square.remote(7)).isEqualTo(49);
  }

  @Test
  void functionsRunInOtherProcesses() {
    long container = TestApp.pid.remote(0);
    assertThat(container).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(ProcessHandle.of(container)).isPresent();
  }

  @Test
  void mapOverTenThousandInputsReturnsResultsInInputOrder() {
    List<Integer> inputs = IntStream.range(0, 10_000).boxed().toList();
    List<Integer> results = TestApp.square.map(inputs).toList();
    assertThat(results).hasSize(10_000);
    for (int i = 0; i < results.size(); i++) {
      assertThat(results.get(i)).isEqualTo(i * i);
    }
  }

  @Test
  void unorderedMapReturnsTheSameMultiset() {
    List<Integer> inputs = IntStream.range(0, 2_000).boxed().toList();
    List<Integer> results = TestApp.square.map(inputs, MapOptions.unordered()).toList();
    assertThat(results).containsExactlyInAnyOrderElementsOf(inputs.stream().map(x -> x * x).toList());
  }

  @Test
  void mapOverALazyStreamWorks() {
    List<Integer> results = TestApp.square.map(IntStream.range(0, 500).boxed()).toList();
    assertThat(results).containsExactlyElementsOf(IntStream.range(0, 500).map(x -> x * x).boxed().toList());
  }

  @Test
  void mapOverNoInputsYieldsNothing() {
    assertThat(TestApp.square.map(List.of()).toList()).isEmpty();
  }

  @Test
  void starmapPassesEachPairToTheFunction() {
    List<Args2<Integer, Integer>> pairs = List.of(Args.of(1, 2), Args.of(3, 4), Args.of(10, -10));
    assertThat(TestApp.add.starmap(pairs).toList()).containsExactly(3, 7, 0);
    assertThat(TestApp.add.remote(20, 22)).isEqualTo(42);
    assertThat(TestApp.describe.remote("ab", 3, true)).isEqualTo("ABABAB");
  }

  @Test
  void userRecordsAndNestedCollectionsRoundTrip() {
    assertThat(TestApp.mirror.remote(new Point(1, 2))).isEqualTo(new Point(2, 1));
    Map<String, List<Point>> points = Map.of("a", List.of(new Point(0, 0), new Point(1, 1)), "b", List.of());
    assertThat(TestApp.countPoints.remote(points)).isEqualTo(2);
  }

  @Test
  void remoteRethrowsTheRemoteExceptionWithTypeMessageAndUserFrame() {
    assertThatThrownBy(() -> TestApp.fail.remote("boom"))
        .isInstanceOfSatisfying(RemoteException.class, e -> {
          assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException");
          assertThat(e.remoteMessage()).isEqualTo("boom");
          assertThat(e.getMessage()).contains("boom");
          assertThat(e.remoteStackTrace()).contains("dev.shoal.it.apps.TestApp");
        });
  }

  @Test
  void mapResultsHasAFailureInTheFailedSlotAndSuccessesAround() {
    List<Result<Integer>> results = TestApp.failOnSeven.mapResults(List.of(5, 6, 7, 8, 9)).toList();
    assertThat(results).hasSize(5);
    assertThat(results.get(0).value()).isEqualTo(50);
    assertThat(results.get(1).value()).isEqualTo(60);
    assertThat(results.get(2)).isInstanceOfSatisfying(Result.Failure.class,
        f -> assertThat(((RemoteException) f.error()).remoteMessage()).isEqualTo("seven is not allowed"));
    assertThat(results.get(3).value()).isEqualTo(80);
    assertThat(results.get(4).value()).isEqualTo(90);
  }

  @Test
  void mapThrowsTheFirstFailure() {
    List<Integer> seen = new ArrayList<>();
    assertThatThrownBy(() -> {
      for (int v : TestApp.failOnSeven.map(IntStream.range(0, 20).boxed().toList())) {
        seen.add(v);
      }
    }).isInstanceOf(RemoteException.class).hasMessageContaining("seven is not allowed");
    assertThat(seen).containsExactly(0, 10, 20, 30, 40, 50, 60);
  }

  @Test
  void forEachRunsEveryInput() {
    TestApp.square.forEach(List.of(1, 2, 3));
    assertThatThrownBy(() -> TestApp.failOnSeven.forEach(List.of(6, 7)))
        .isInstanceOf(RemoteException.class);
  }

  @Test
  void spawnThenFromIdThenGet() {
    FunctionCall<Integer> call = TestApp.square.spawn(9);
    assertThat(call.id()).startsWith("fc-");
    FunctionCall<Integer> again = FunctionCall.fromId(call.id());
    assertThat(again.get(Duration.ofSeconds(30))).isEqualTo(81);
    assertThat(call.get()).isEqualTo(81);
    assertThat(again.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(again.poll()).contains(81);
    assertThat(call.future().join()).isEqualTo(81);
  }

  @Test
  void getWithZeroTimeoutOnAnUnfinishedCallThrowsAtOnce() {
    FunctionCall<Long> call = TestApp.sleepMillis.spawn(5_000L);
    try {
      assertThatThrownBy(() -> call.get(Duration.ZERO)).isInstanceOf(CallTimeoutException.class);
      assertThat(call.poll()).isEmpty();
    } finally {
      call.cancel();
    }
  }

  @Test
  void cancelThenGetThrowsCancelled() {
    FunctionCall<Long> call = TestApp.sleepMillis.spawn(10_000L);
    call.cancel();
    assertThatThrownBy(call::get).isInstanceOf(CancelledException.class);
    assertThat(call.status()).isEqualTo(CallStatus.CANCELLED);
  }

  @Test
  void gatherReturnsResultsInArgumentOrder() {
    FunctionCall<Integer> a = TestApp.square.spawn(3);
    FunctionCall<Integer> b = TestApp.square.spawn(4);
    FunctionCall<Integer> c = TestApp.square.spawn(5);
    assertThat(FunctionCall.gather(c, a, b)).containsExactly(25, 9, 16);
  }

  @Test
  void unserialisableArgumentFailsBeforeSendingAndNamesTheClass() {
    assertThatThrownBy(() -> TestApp.typeName.remote(new Thread()))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("java.lang.Thread");
  }

  @Test
  void classOutsideTheAppIsRefusedInTheContainerNamingIt() {
    // The bytes a caller without the encoder's check would send (the SDK refuses them first, as below): the
    // container refuses them itself.
    Object foreign = new dev.shoal.examples.Squares.Job(1);
    Payload args = Payload.newBuilder().setCodec(Codec.ID).setData(ByteString.copyFrom(Codec.encode(foreign))).build();
    String functionId = EmbeddedEngine.get().controlPlane().functionId("test-app", "typeName").orElseThrow();
    try (EngineConnection connection = EmbeddedEngine.get().connect()) {
      dev.shoal.protocol.v1.Result result = connection.blocking()
          .call(CallRequest.newBuilder().setFunctionId(functionId).setArgs(args).build()).getResult();
      assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILURE);
      assertThat(result.getFailure().getMessage())
          .contains("dev.shoal.examples.Squares$Job")
          .contains("is not allowed by the codec");
    }
  }

  @Test
  void classOutsideTheAppIsRefusedAtTheCallerNamingItAndTheSetting() {
    Object foreign = new dev.shoal.examples.Squares.Job(1);
    assertThatThrownBy(() -> TestApp.typeName.remote(foreign))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("dev.shoal.examples.Squares$Job")
        .hasMessageContaining("-Dshoal.codec.allow=dev.shoal.examples.");
  }

  @Test
  void contextGivesIdsOfTheRunningInput() {
    String[] parts = TestApp.context.remote(1).split("\\|");
    assertThat(parts[0]).startsWith("fc-");
    assertThat(parts[1]).isNotBlank();
    assertThat(parts[2]).isEqualTo("1");
    assertThat(parts[3]).startsWith("ct-");
  }

  @Test
  void functionsCallOtherFunctionsFromInsideAContainer() {
    assertThat(TestApp.squarePlusOne.remote(6)).isEqualTo(37);
  }

  @Test
  void closingAMapEarlyCancelsTheRest() {
    MapCall<Integer> results = TestApp.square.map(IntStream.range(0, 100_000).boxed());
    Iterator<Integer> it = results.iterator();
    assertThat(it.next()).isZero();
    results.close();
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void slowFirstInputDoesNotLetTheWindowGrow() {
    MapOptions window = MapOptions.builder().maxInFlight(50).build();
    AtomicInteger sent = new AtomicInteger();
    var inputs = IntStream.range(0, 10_000).boxed().peek(x -> sent.incrementAndGet());
    try (MapCall<Integer> results = TestApp.slowFirst.map(inputs, window)) {
      Iterator<Integer> it = results.iterator();
      assertThat(it.next()).isZero(); // waits for the slow first input
      // 50 in flight or waiting to be reordered; a stream's hasNext() pulls the next element (51) before the
      // feeder waits for a slot, and the slot freed by taking the first result lets one more (52) be pulled.
      assertThat(sent.get()).isLessThanOrEqualTo(50 + 2);
    }
  }

  @Test
  void callsOfAStoppedRunFailClearly() {
    assertThatThrownBy(() -> dev.shoal.it.apps.BrokenApp.identity.remote(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not running");
  }

  @Test
  void nullResultsAndArgumentsTravel() {
    assertThat(TestApp.typeName.remote(null)).isEqualTo("null");
  }
}
