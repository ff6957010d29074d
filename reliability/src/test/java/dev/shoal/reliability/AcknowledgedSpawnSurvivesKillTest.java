package dev.shoal.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of a spawn's acknowledgement (issue 20): many concurrent spawns, so that the control plane writes them
 * in group commits, are acknowledged; then the server and its PostgreSQL are both killed with {@code kill -9}, and
 * started again over the same data directory. Every acknowledged call must then run exactly once, under its own id,
 * and give its result. The calls are held by a gate until after the kill (see {@link GatedSpawnApp}), so none can
 * have run, finished or been half-written before it: everything the restarted server knows of them came from the
 * commits that preceded their acknowledgements.
 */
class AcknowledgedSpawnSurvivesKillTest {
  private static final int SPAWNS = 400;
  private static final int CALLERS = 32;

  @TempDir
  Path dataDir;

  @TempDir
  Path marks;

  @Test
  @Timeout(600)
  void everyAcknowledgedSpawnRunsExactlyOnceAfterServerAndPostgresAreKilled() throws Exception {
    Files.deleteIfExists(GatedSpawnApp.GATE);
    Map<Integer, String> acknowledged = new ConcurrentHashMap<>();
    try (ServerProcess server = new ServerProcess(dataDir)) {
      server.start();
      AppRun run = GatedSpawnApp.app.run(RunOptions.builder().detach(true).build());
      try {
        long start = System.nanoTime();
        spawnAll(acknowledged);
        assertThat(acknowledged).hasSize(SPAWNS);
        long spawned = System.nanoTime();

        server.killWithDatabase();
        Files.createDirectories(GatedSpawnApp.GATE.getParent());
        Files.writeString(GatedSpawnApp.GATE, "");
        server.start();
        long restarted = System.nanoTime();

        for (Map.Entry<Integer, String> spawn : acknowledged.entrySet()) {
          assertThat(FunctionCall.<Integer>fromId(spawn.getValue()).get(Duration.ofMinutes(5)))
              .as("the result of spawn %d (%s)", spawn.getKey(), spawn.getValue())
              .isEqualTo(2 * spawn.getKey());
        }
        System.err.printf("[durability] %d spawns acknowledged in %.1f s; server and PostgreSQL killed and started"
            + " again in %.1f s; every result in %.1f s more%n", SPAWNS, (spawned - start) / 1e9,
            (restarted - spawned) / 1e9, (System.nanoTime() - restarted) / 1e9);
        Map<Integer, List<String>> runs = runsByInput();
        assertThat(runs.keySet()).as("inputs that ran").isEqualTo(acknowledged.keySet());
        acknowledged.forEach((n, id) -> assertThat(runs.get(n)).as("the runs of spawn %d", n).containsExactly(id));
      } finally {
        run.close();
        Files.deleteIfExists(GatedSpawnApp.GATE);
      }
    }
  }

  /** Spawns inputs 0 .. SPAWNS - 1 from {@link #CALLERS} threads at once; every spawn must be acknowledged. */
  private void spawnAll(Map<Integer, String> acknowledged) throws Exception {
    AtomicInteger next = new AtomicInteger();
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CALLERS; c++) {
        running.add(callers.submit(() -> {
          for (int n = next.getAndIncrement(); n < SPAWNS; n = next.getAndIncrement()) {
            acknowledged.put(n, GatedSpawnApp.mark.spawn(marks + "|" + n).id());
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    }
  }

  /** The call ids each input ran under, one entry per run, from the files the runs left. */
  private Map<Integer, List<String>> runsByInput() throws Exception {
    Map<Integer, List<String>> runs = new HashMap<>();
    try (Stream<Path> files = Files.list(marks)) {
      files.map(f -> f.getFileName().toString().split("_"))
          .forEach(mark -> runs.computeIfAbsent(Integer.parseInt(mark[0]), k -> new ArrayList<>()).add(mark[1]));
    }
    return runs;
  }
}
