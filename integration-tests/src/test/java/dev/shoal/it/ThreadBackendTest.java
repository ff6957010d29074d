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
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
