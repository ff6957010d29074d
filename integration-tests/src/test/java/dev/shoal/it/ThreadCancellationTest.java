package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.CancelledException;
import dev.shoal.FunctionCall;
import dev.shoal.RunOptions;
import dev.shoal.it.apps.CallControlApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancelling a running input of a thread container, which shares the caller's JVM: its thread is interrupted. */
class ThreadCancellationTest {
  private static final Duration WAIT = Duration.ofSeconds(45);

  @TempDir
  Path dir;

  @Test
  void cancellingAnInputOfAThreadContainerInterruptsItAndTheContainerTakesTheNext() {
    try (AppRun threads = CallControlApp.app.run(RunOptions.builder().backend(Backend.THREADS).build())) {
      FunctionCall<Long> running = CallControlApp.sleeper.spawn(dir.toString());
      await().atMost(WAIT).until(() -> Files.exists(dir.resolve("started-1")));
      FunctionCall<Long> next = CallControlApp.sleeper.spawn("");

      running.cancel();

      assertThat(next.get(WAIT)).isEqualTo(ProcessHandle.current().pid());
      assertThat(dir.resolve("interrupted")).exists();
      assertThatThrownBy(running::get).isInstanceOf(CancelledException.class);
    }
  }
}
