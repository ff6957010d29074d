package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.FunctionTimeoutException;
import dev.shoal.RunOptions;
import dev.shoal.it.apps.FailureApp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thread containers cannot be killed like processes; a timeout interrupts the input instead. */
class ThreadTimeoutTest {
  @TempDir
  Path dir;

  @Test
  void inputPastItsTimeoutIsInterruptedAndFailsWithTimeout() {
    try (AppRun run = FailureApp.app.run(RunOptions.builder().backend(Backend.THREADS).build())) {
      assertThatThrownBy(() -> FailureApp.hang.remote(dir.resolve("pid").toString()))
          .isInstanceOf(FunctionTimeoutException.class);
    }
  }
}
