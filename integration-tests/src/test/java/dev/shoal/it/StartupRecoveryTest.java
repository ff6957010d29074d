package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.RemoteException;
import dev.shoal.internal.client.FileTrees;
import dev.shoal.it.apps.HealingApp;
import dev.shoal.it.apps.SlowStartApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Start-up faults that must not break a function for good, with real process containers: containers killed while
 * they start, and app code that cannot load until it is fixed.
 */
class StartupRecoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int KILLS = 6;

  @Test
  @Timeout(600)
  void containersKilledWithSigkillWhileStartingDoNotBreakTheFunction() throws Exception {
    FileTrees.deleteTree(SlowStartApp.STARTING.getParent());
    try (AppRun run = SlowStartApp.app.run()) {
      List<Integer> inputs = IntStream.range(0, 2_000).boxed().toList();
      CompletableFuture<List<Integer>> results =
          CompletableFuture.supplyAsync(() -> SlowStartApp.square.map(inputs).toList());

      // Each container is killed once it has connected and is loading the app, which waits at the gate.
      Set<Long> killed = new HashSet<>();
      while (killed.size() < KILLS) {
        await().atMost(WAIT).until(() -> !waitingAtTheGate(killed).isEmpty());
        for (long pid : waitingAtTheGate(killed)) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // kill -9
          killed.add(pid);
        }
      }
      assertThat(results).as("the kills failed no input").isNotDone();
      Files.createFile(SlowStartApp.GATE);

      List<Integer> squares = results.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(squares).hasSize(inputs.size());
      assertThat(squares).containsExactlyElementsOf(inputs.stream().map(x -> x * x).toList());
      assertThat(SlowStartApp.square.remote(12)).isEqualTo(144);
    } finally {
      FileTrees.deleteTree(SlowStartApp.STARTING.getParent());
    }
  }

  @Test
  @Timeout(300)
  void functionWhoseAppCannotLoadFailsWithTheReasonAndWorksOnceTheCauseIsGone() throws Exception {
    Files.createDirectories(HealingApp.BROKEN.getParent());
    Files.writeString(HealingApp.BROKEN, "");
    try (AppRun run = HealingApp.app.run()) {
      assertThatThrownBy(() -> HealingApp.twice.remote(1))
          .isInstanceOf(RemoteException.class)
          .hasMessageContaining("failed to start")
          .hasMessageContaining("HealingApp cannot load while");

      Files.delete(HealingApp.BROKEN);

      assertThat(HealingApp.twice.remote(21)).isEqualTo(42);
      assertThat(HealingApp.twice.map(List.of(1, 2, 3)).toList()).containsExactly(2, 4, 6);
    } finally {
      Files.deleteIfExists(HealingApp.BROKEN);
    }
  }

  /** The pids of live containers waiting at the gate of SlowStartApp, leaving out those already killed. */
  private static List<Long> waitingAtTheGate(Set<Long> killed) throws IOException {
    if (!Files.isDirectory(SlowStartApp.STARTING)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(SlowStartApp.STARTING)) {
      return files.map(f -> Long.parseLong(f.getFileName().toString()))
          .filter(pid -> !killed.contains(pid))
          .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .toList();
    }
  }
}
