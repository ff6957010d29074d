package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.CallStatus;
import dev.shoal.FunctionCall;
import dev.shoal.RemoteException;
import dev.shoal.it.apps.CallControlApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code FunctionCall.gather} waits on every call at once and fails as soon as one fails. */
class GatherTest {
  private static AppRun run;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    run = CallControlApp.app.run();
  }

  @AfterAll
  static void stop() {
    run.close();
  }

  @Test
  void gatherThrowsTheFirstFailureWhileAnEarlierCallStillRuns() {
    FunctionCall<Long> slow = CallControlApp.sleeper.spawn(dir.toString());
    await().atMost(Duration.ofSeconds(45)).until(() -> Files.exists(dir.resolve("started-1")));
    FunctionCall<Long> failed = CallControlApp.fails.spawn("second");
    try {
      assertThatThrownBy(() -> FunctionCall.gather(slow, failed))
          .isInstanceOf(RemoteException.class)
          .hasMessageContaining("second failed");
      assertThat(slow.status()).as("gather did not wait for the minute-long call, nor cancel it")
          .isEqualTo(CallStatus.RUNNING);
    } finally {
      slow.cancel();
    }
  }

  @Test
  void gatherReturnsResultsInArgumentOrder() {
    FunctionCall<Integer> a = CallControlApp.echo.spawn(1);
    FunctionCall<Integer> b = CallControlApp.echo.spawn(2);
    FunctionCall<Integer> c = CallControlApp.echo.spawn(3);
    assertThat(FunctionCall.gather(c, a, b)).containsExactly(3, 1, 2);
  }
}
