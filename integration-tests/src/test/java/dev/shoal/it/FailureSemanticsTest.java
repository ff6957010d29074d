package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.CallStatus;
import dev.shoal.CancelledException;
import dev.shoal.FunctionCall;
import dev.shoal.FunctionTimeoutException;
import dev.shoal.MapOptions;
import dev.shoal.RemoteException;
import dev.shoal.internal.controlplane.PoolStats;
import dev.shoal.internal.embedded.EmbeddedEngine;
import dev.shoal.it.apps.FailureApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries, timeouts, caps, crashes and cancellation, with process containers. */
class FailureSemanticsTest {
  private static AppRun run;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    run = FailureApp.app.run();
  }

  @AfterAll
  static void stop() {
    run.close();
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static long awaitPid(Path file) throws java.io.IOException {
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(file) && Files.size(file) > 0);
    return Long.parseLong(Files.readString(file).trim());
  }

  @Test
  void flakyFunctionSucceedsOnItsThirdAttemptWithThreeRetries() {
    assertThat(FailureApp.flaky.remote("job")).isEqualTo("job succeeded on attempt 3");
  }

  @Test
  void exhaustedRetriesReturnTheLastFailure() {
    assertThatThrownBy(() -> FailureApp.hopeless.remote("job"))
        .isInstanceOf(RemoteException.class)
        .hasMessageContaining("job failed on attempt 3");
  }

  @Test
  void functionPastItsTimeoutFailsAndItsContainerProcessIsGone() throws java.io.IOException {
    Path pidFile = dir.resolve("hang.pid");
    FunctionCall<String> call = FailureApp.hang.spawn(pidFile.toString());
    long pid = awaitPid(pidFile);
    assertThatThrownBy(() -> call.get(Duration.ofSeconds(60)))
        .isInstanceOf(FunctionTimeoutException.class)
        .hasMessageContaining("timed out after 2000 ms");
    await().atMost(Duration.ofSeconds(10)).until(() -> !alive(pid));
    assertThat(call.status()).isEqualTo(CallStatus.TIMED_OUT);
  }

  @Test
  void maxContainersIsNeverExceededDuringAMap() {
    List<long[]> results = FailureApp.capped.map(IntStream.range(0, 40).boxed().toList()).toList();
    assertThat(results).hasSize(40);
    assertThat(results.stream().map(r -> r[1]).distinct().count()).isLessThanOrEqualTo(2);
    PoolStats stats = EmbeddedEngine.get().controlPlane().poolStats("failure-app", "capped").orElseThrow();
    assertThat(stats.highWaterContainers()).isBetween(1, 2);
    // What a map's progress bar asks the engine; the containers stay for their 60 s scale-down window.
    String functionId = EmbeddedEngine.get().controlPlane().functionId("failure-app", "capped").orElseThrow();
    assertThat(dev.shoal.internal.client.Engines.current().liveContainers(functionId))
        .isEqualTo(stats.liveContainers())
        .isBetween(1, 2);
  }

  @Test
  void containerKilledMidMapLosesNoInput() {
    List<Integer> inputs = IntStream.range(0, 40).boxed().toList();
    List<Long> indexes = new ArrayList<>();
    boolean killed = false;
    for (long[] r : FailureApp.capped.map(inputs, MapOptions.unordered())) {
      indexes.add(r[0]);
      if (!killed) {
        assertThat(ProcessHandle.of(r[1]).orElseThrow().destroyForcibly()).isTrue(); // kill -9
        killed = true;
      }
    }
    assertThat(indexes).containsExactlyInAnyOrderElementsOf(inputs.stream().map(Integer::longValue).toList());
  }

  @Test
  void cancelledQueuedCallNeverRunsAndTheOthersFinish() {
    // One container running two inputs at once: the third waits in the queue.
    FunctionCall<String> first = FailureApp.sleeper.spawn("");
    FunctionCall<String> second = FailureApp.sleeper.spawn("");
    FunctionCall<String> queued = FailureApp.sleeper.spawn("");
    queued.cancel();
    assertThat(queued.status()).isEqualTo(CallStatus.CANCELLED);
    assertThatThrownBy(queued::get).isInstanceOf(CancelledException.class);
    // The two running sleepers would hold their container for a minute; free it for the other tests.
    first.cancel(true);
    second.cancel(true);
  }

  @Test
  void cancelledRunningCallThrowsCancelled() throws java.io.IOException {
    Path pidFile = dir.resolve("running.pid");
    FunctionCall<String> call = FailureApp.sleeper.spawn(pidFile.toString());
    awaitPid(pidFile);
    assertThat(call.status()).isEqualTo(CallStatus.RUNNING);
    call.cancel();
    assertThatThrownBy(() -> call.get(Duration.ofSeconds(10))).isInstanceOf(CancelledException.class);
    call.cancel(true); // the container still runs the cancelled sleep; free it for the other tests
  }

  @Test
  void cancelWithTerminateKillsTheContainerRunningTheCall() throws java.io.IOException {
    Path pidFile = dir.resolve("terminate.pid");
    FunctionCall<String> call = FailureApp.sleeper.spawn(pidFile.toString());
    long pid = awaitPid(pidFile);
    call.cancel(true);
    assertThatThrownBy(call::get).isInstanceOf(CancelledException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> !alive(pid));
  }

  @Test
  void idleContainersStopAfterTheScaledownWindow() {
    assertThat(FailureApp.brief.remote(5)).isEqualTo(5);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        EmbeddedEngine.get().controlPlane().poolStats("failure-app", "brief").orElseThrow().liveContainers() == 0);
  }

  @Test
  void concurrencyRunsThatManyInputsAtOnceInOneContainer() {
    List<Integer> mostAtOnce = FailureApp.crowded.map(IntStream.range(0, 8).boxed().toList()).toList();
    assertThat(mostAtOnce.stream().mapToInt(Integer::intValue).max().orElseThrow()).isEqualTo(4);
  }
}
