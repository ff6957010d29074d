package dev.shoal.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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
  private static final int INPUTS = 1_500;
  /** The inputs sent before the freeze; the rest wait for it, so that the map cannot end before it. */
  private static final int BEFORE_FREEZE = 500;

  @TempDir
  Path traces;

  @Test
  @Timeout(600)
  void containerFrozenWithSigstopIsKilledAfterTheHeartbeatDeadlineAndItsInputsRunElsewhere() throws Exception {
    CountDownLatch frozenOnce = new CountDownLatch(1);
    Stream<String> inputs = IntStream.range(0, INPUTS).peek(i -> {
      if (i == BEFORE_FREEZE) {
        await().atMost(Duration.ofMinutes(5)).until(() -> frozenOnce.getCount() == 0);
      }
    }).mapToObj(i -> traces + "|" + i);
    try (AppRun run = ChaosApp.app.run()) {
      CompletableFuture<List<Long>> results = CompletableFuture.supplyAsync(() -> ChaosApp.traced.map(inputs).toList());
      ProcessHandle frozen = null;
      Set<Long> held = Set.of();
      while (held.isEmpty()) {
        if (frozen != null) {
          ContainerProcesses.signal(frozen, "CONT"); // It finished its inputs as it froze: try again.
        }
        frozen = await().atMost(Duration.ofMinutes(2))
            .until(() -> ContainerProcesses.live().stream().filter(c -> !heldBy(c.pid()).isEmpty()).findAny(),
                Optional::isPresent)
            .orElseThrow();
        ContainerProcesses.signal(frozen, "STOP");
        held = heldBy(frozen.pid());
      }
      frozenOnce.countDown();

      assertThat(results.get(10, TimeUnit.MINUTES))
          .containsExactlyElementsOf(IntStream.range(0, INPUTS).mapToObj(i -> (long) i * i).toList());
      ProcessHandle killed = frozen;
      await().atMost(Duration.ofMinutes(2)).until(() -> !killed.isAlive());
      System.err.printf("[chaos] the frozen container %d held %d inputs, which ran elsewhere%n", frozen.pid(),
          held.size());
      assertThat(ChaosApp.traced.remote(traces + "|" + 7)).isEqualTo(49L);
    }
  }

  /** The inputs the container began but did not end; once it is frozen, no more can appear. */
  private Set<Long> heldBy(long pid) {
    Set<String> names = new HashSet<>();
    try (Stream<Path> files = Files.list(traces)) {
      files.map(f -> f.getFileName().toString()).forEach(names::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
