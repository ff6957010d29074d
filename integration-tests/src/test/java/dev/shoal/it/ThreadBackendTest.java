package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.FunctionCall;
import dev.shoal.RemoteException;
import dev.shoal.RunOptions;
import dev.shoal.it.apps.TestApp;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same engine with thread containers, which run in the caller's JVM. */
class ThreadBackendTest {
  private static AppRun run;

  @BeforeAll
  static void start() {
    run = TestApp.app.run(RunOptions.builder().backend(Backend.THREADS).build());
  }

  @AfterAll
  static void stop() {
    run.close();
  }

  @Test
  void functionsRunInThisProcess() {
    assertThat(TestApp.pid.remote(0)).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void mapReturnsResultsInInputOrder() {
    List<Integer> results = TestApp.square.map(IntStream.range(0, 10_000).boxed().toList()).toList();
    assertThat(results).containsExactlyElementsOf(IntStream.range(0, 10_000).map(x -> x * x).boxed().toList());
  }

  /**
   * Thread containers talk to the control plane in-process, where a message is delivered on its sender's thread:
   * two containers sending outputs at once, each while inputs are dispatched to the other, once deadlocked on
   * their streams' locks.
   */
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void largeMapsOverTwoContainersAtFullSpeedComplete() {
    List<Integer> inputs = IntStream.range(0, 200_000).boxed().toList();
    for (int round = 0; round < 3; round++) {
      long sum = 0;
      for (int r : TestApp.increment.map(inputs)) {
        sum += r;
      }
      assertThat(sum).isEqualTo(200_000L * 199_999 / 2 + 200_000);
    }
  }

  @Test
  void failuresCarryTheRemoteTypeAndMessage() {
    assertThatThrownBy(() -> TestApp.fail.remote("thread boom"))
        .isInstanceOfSatisfying(RemoteException.class,
            e -> assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException"))
        .hasMessageContaining("thread boom");
  }

  @Test
  void spawnAndNestedCallsWork() {
    FunctionCall<Integer> call = TestApp.squarePlusOne.spawn(4);
    assertThat(FunctionCall.fromId(call.id()).get()).isEqualTo(17);
    assertThat(TestApp.context.remote(0)).contains("|1|ct-");
  }
}
