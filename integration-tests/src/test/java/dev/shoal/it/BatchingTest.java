package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.RemoteException;
import dev.shoal.it.apps.BatchApp;
import dev.shoal.it.apps.BatchApp.Seen;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dynamic batching end to end: callers pass single inputs, containers run them in batches. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BatchingTest {
  private static AppRun run;

  @BeforeAll
  static void start() {
    run = BatchApp.app.run();
  }

  @AfterAll
  static void stop() {
    run.close();
  }

  /** Each call's result, in list order, as {@link FunctionCall#gather} gives them for a fixed number of calls. */
  private static <O> List<O> getAll(List<FunctionCall<O>> calls) {
    return calls.stream().map(FunctionCall::get).toList();
  }

  @Test
  void batchesFormUnderLoadAndNeverExceedMaxBatchSize() {
    List<Seen> results = BatchApp.sizes.map(IntStream.range(0, 200).boxed().toList()).toList();
    assertThat(results).extracting(Seen::input).containsExactlyElementsOf(IntStream.range(0, 200).boxed().toList());
    assertThat(results).extracting(Seen::batchSize).allSatisfy(size -> assertThat(size).isBetween(1, 8));
    assertThat(results.stream().mapToInt(Seen::batchSize).max().orElseThrow()).isEqualTo(8);
  }

  @Test
  void eachCallerGetsItsOwnElementBack() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<FunctionCall<Seen>>>> spawned = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int first = 1000 + t * 10;
        spawned.add(callers.submit(() ->
            IntStream.range(first, first + 10).mapToObj(BatchApp.sizes::spawn).toList()));
      }
      List<FunctionCall<Seen>> calls = new ArrayList<>();
      for (Future<List<FunctionCall<Seen>>> f : spawned) {
        calls.addAll(f.get());
      }
      List<Seen> results = getAll(calls);
      List<Integer> expected = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        for (int i = 0; i < 10; i++) {
          expected.add(1000 + t * 10 + i);
        }
      }
      assertThat(results).extracting(Seen::input).containsExactlyElementsOf(expected);
      // Inputs of different callers shared batches.
      assertThat(results).extracting(Seen::batchSize).anySatisfy(size -> assertThat(size).isGreaterThan(1));
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void loneInputRunsOnceTheWaitIsOver() {
    BatchApp.patient.remote(0); // starts the container, so that the timing below is the wait alone
    long start = System.nanoTime();
    Seen seen = BatchApp.patient.remote(1);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(seen).isEqualTo(new Seen(1, 1, ""));
    assertThat(millis).as("a lone input waits for company first").isGreaterThanOrEqualTo(950);
  }

  @Test
  void contextInsideABatchDescribesItsFirstInput() {
    List<FunctionCall<Seen>> calls = IntStream.range(0, 3).mapToObj(BatchApp.context::spawn).toList();
    List<Seen> results = getAll(calls);
    assertThat(results).extracting(Seen::batchSize).containsOnly(3);
    assertThat(results).extracting(Seen::detail).containsOnly(calls.get(0).id());
  }

  @Test
  void resultListOfTheWrongLengthFailsEveryCallerOfTheBatchSayingSo() {
    List<FunctionCall<Integer>> calls = IntStream.range(0, 4).mapToObj(BatchApp.dropsOne::spawn).toList();
    Pattern rule = Pattern.compile("batched function dropsOne returned (\\d+) results? for a batch of (\\d+)"
        + " inputs?; it must return one per input, in order");
    for (FunctionCall<Integer> call : calls) {
      assertThatThrownBy(call::get)
          .isInstanceOfSatisfying(RemoteException.class, e -> {
            assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException");
            Matcher m = rule.matcher(e.remoteMessage());
            assertThat(m.find()).as("message: %s", e.remoteMessage()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(Integer.parseInt(m.group(2)) - 1);
          });
    }
  }

  @Test
  void exceptionInTheBodyFailsEveryInputOfTheBatch() {
    List<FunctionCall<Integer>> calls = IntStream.range(0, 4).mapToObj(BatchApp.explodes::spawn).toList();
    List<String> messages = Collections.synchronizedList(new ArrayList<>());
    for (FunctionCall<Integer> call : calls) {
      assertThatThrownBy(call::get).isInstanceOfSatisfying(RemoteException.class, e -> {
        assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException");
        messages.add(e.remoteMessage());
      });
    }
    assertThat(messages).allSatisfy(m -> assertThat(m).matches("a batch of \\d exploded"));
  }

  @Test
  void inputsOfAFailedBatchAreRetriedOneByOne() {
    List<FunctionCall<Seen>> calls = IntStream.range(0, 4).mapToObj(BatchApp.failsFirstBatch::spawn).toList();
    List<Seen> results = getAll(calls);
    assertThat(results).extracting(Seen::input).containsExactly(0, 1, 2, 3);
    assertThat(results).extracting(Seen::detail).containsOnly("failed batches before: 1");
  }

  @Test
  void largeBatchesReturnEveryOutput() {
    List<String> results = BatchApp.large.map(IntStream.range(0, 5_000).boxed().toList()).toList();
    assertThat(results).hasSize(5_000);
    for (int i = 0; i < results.size(); i++) {
      assertThat(results.get(i)).endsWith("x" + i);
    }
  }
}
