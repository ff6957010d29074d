package dev.shoal.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A container frozen with {@code SIGSTOP} in the middle of a map: it neither crashes nor answers, its connection
 * stays open, and only its missing heartbeats tell. Its inputs must be run elsewhere and the container killed.
 */
class FrozenContainerTest {
  private static final int INPUTS = 3_000;

  @TempDir
  Path traces;

  @Test
  @Timeout(600)
  void containerFrozenWithSigstopIsKilledAfterTheHeartbeatDeadlineAndItsInputsRunElsewhere() throws Exception {
    try (AppRun run = ChaosApp.app.run()) {
      CompletableFuture<List<Long>> results = CompletableFuture.supplyAsync(
          () -> ChaosApp.traced.map(IntStream.range(0, INPUTS).mapToObj(i -> traces + "|" + i)).toList());
      ProcessHandle frozen = await().atMost(Duration.ofMinutes(2))
          .until(() -> ContainerProcesses.live().stream().filter(this::hasStartedAnInput).findAny(),
              java.util.Optional::isPresent)
          .orElseThrow();

      ContainerProcesses.signal(frozen, "STOP");
      Set<Long> held = heldBy(frozen.pid());

      assertThat(results.get(10, TimeUnit.MINUTES))
          .containsExactlyElementsOf(IntStream.range(0, INPUTS).mapToObj(i -> (long) i * i).toList());
      await().atMost(Duration.ofMinutes(2)).until(() -> !frozen.isAlive());
      assertThat(held).as("inputs the frozen container had begun and not ended").isNotEmpty();
      System.err.printf("[chaos] the frozen container %d held %d inputs, which ran elsewhere%n", frozen.pid(),
          held.size());
      assertThat(ChaosApp.traced.remote(traces + "|" + 7)).isEqualTo(49L);
    }
  }

  private boolean hasStartedAnInput(ProcessHandle container) {
    try (Stream<Path> files = Files.list(traces)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith("_" + container.pid() + "_start"));
    } catch (IOException e) {
      return false;
    }
  }

  /** The inputs the container began but did not end; read once it is frozen, so no more can appear. */
  private Set<Long> heldBy(long pid) throws IOException {
    Set<String> names = new HashSet<>();
    try (Stream<Path> files = Files.list(traces)) {
      files.map(f -> f.getFileName().toString()).forEach(names::add);
    }
    Set<Long> held = new HashSet<>();
    for (String name : names) {
      String[] parts = name.split("_");
      if (parts[1].equals(Long.toString(pid)) && parts[2].equals("start")
          && !names.contains(parts[0] + "_" + pid + "_end")) {
        held.add(Long.parseLong(parts[0]));
      }
    }
    return held;
  }
}
