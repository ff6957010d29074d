package dev.shoal.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.MapCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kill -9}s of random container processes of the embedded engine, found in this JVM's process tree, during
 * one map: starting containers (the JVM booting, or loading the app) as well as those running inputs. Bounded in
 * the default build (20 kills over 2,000 inputs); 100 over 20,000 with {@code -Pfull}.
 */
class ContainerKillChaosTest {
  /** How long a kill waits for a container that is still starting before it takes any live one. */
  private static final Duration STARTING_WAIT = Duration.ofSeconds(10);

  @Test
  @Timeout(1800)
  void killNineOfRandomContainersStartingOnesIncludedLosesNoResultAndLeavesTheFunctionServing() throws Exception {
    ChaosScale scale = ChaosScale.configured();
    int inputs = scale.mapInputs();
    int kills = scale.containerKills();
    ContainerProcesses.deleteTree(ChaosApp.LOADED);
    Random random = new Random(16);
    KillCount killed = new KillCount();
    // The caller takes result r only once (r + 1) × kills / inputs kills were made. The map keeps at most its window
    // (1,000 inputs) sent but not taken, so the containers stay busy while the kills are spread over the whole map
    // however fast the machine runs it, and the last kills fall while inputs are still running. The pacing is done
    // by the caller's own thread, never inside the SDK's thread that reads the inputs.
    try (AppRun run = ChaosApp.app.run()) {
      CompletableFuture<List<Long>> results = new CompletableFuture<>();
      Thread.ofPlatform().name("chaos-map-caller").start(() -> {
        List<Long> taken = new ArrayList<>(inputs);
        try (MapCall<Long> map = ChaosApp.square.map(IntStream.range(0, inputs).boxed())) {
          for (long square : map) {
            killed.awaitAtLeast((long) (taken.size() + 1) * kills / inputs, Duration.ofMinutes(5));
            taken.add(square);
          }
          results.complete(taken);
        } catch (RuntimeException | Error e) {
          results.completeExceptionally(e);
        }
      });
      int starting = 0;
      while (killed.get() < kills) {
        // Every other kill waits for a container that has not loaded the app yet: the replacement of the last one.
        ProcessHandle victim = killed.get() % 2 == 1 ? startingContainer().orElse(null) : null;
        if (victim != null) {
          starting++;
        } else {
          List<ProcessHandle> live = awaitLiveContainers();
          victim = live.get(random.nextInt(live.size()));
        }
        victim.destroyForcibly(); // kill -9
        victim.onExit().get(1, TimeUnit.MINUTES);
        killed.increment();
      }

      List<Long> squares = results.get(20, TimeUnit.MINUTES);
      System.err.printf("[chaos] %d kills (%d of containers still starting) during a map of %d inputs%n", kills,
          starting, inputs);
      assertThat(squares).hasSize(inputs);
      for (int i = 0; i < inputs; i++) {
        assertThat(squares.get(i)).as("result %d", i).isEqualTo((long) i * i);
      }
      assertThat(starting).as("kills of containers that were still starting").isPositive();
      assertThat(ChaosApp.square.remote(12)).isEqualTo(144L);
    }
  }

  private static List<ProcessHandle> awaitLiveContainers() {
    return await().atMost(Duration.ofMinutes(2)).until(ContainerProcesses::live, live -> !live.isEmpty());
  }

  private static Optional<ProcessHandle> startingContainer() {
    try {
      return Optional.of(await().atMost(STARTING_WAIT).until(
          () -> ContainerProcesses.live().stream().filter(p -> !ContainerProcesses.loaded(p)).findAny(),
          Optional::isPresent).orElseThrow());
    } catch (ConditionTimeoutException e) {
      return Optional.empty();
    }
  }
}
