package dev.shoal.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.MapCall;
import dev.shoal.RunOptions;
import dev.shoal.ShoalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code shoal server} on its embedded PostgreSQL, killed with {@code kill -9} again and again while this
 * JVM spawns and maps as a client: each restart also stops the PostgreSQL the killed server left behind and starts
 * it again. Bounded in the default build (2 kills); 10 with {@code -Pfull}.
 */
class ServerKillChaosTest {
  /** How many more spawns must be acknowledged after each start before the server is killed again. */
  private static final int SPAWNS_BETWEEN_KILLS = 100;
  private static final int MAP_INPUTS = 400;

  @TempDir
  Path dataDir;

  @TempDir
  Path marks;

  @Test
  @Timeout(1800)
  void serverKilledAgainAndAgainLosesNoAcknowledgedSpawnRunsNoneTwiceAndRunsNoneThatFailed() throws Exception {
    int serverKills = ChaosScale.configured().serverKills();
    Map<Integer, String> acknowledged = new ConcurrentHashMap<>();
    Map<Integer, ShoalException> failed = new ConcurrentHashMap<>();
    AtomicInteger mapsWhole = new AtomicInteger();
    AtomicInteger mapsCut = new AtomicInteger();
    List<String> wrongMaps = new ArrayList<>();
    AtomicBoolean enough = new AtomicBoolean();
    AtomicBoolean up = new AtomicBoolean();
    AtomicInteger next = new AtomicInteger();
    List<Thread> load = new ArrayList<>();
    try (ServerProcess server = new ServerProcess(dataDir)) {
      server.start();
      up.set(true);
      AppRun run = ChaosApp.app.run(RunOptions.builder().detach(true).build());
      for (int t = 0; t < 4; t++) {
        load.add(Thread.ofPlatform().name("spawner-" + t).start(() -> {
          while (!enough.get()) {
            int n = next.getAndIncrement();
            try {
              acknowledged.put(n, ChaosApp.mark.spawn(marks + "|" + n).id());
            } catch (ShoalException e) {
              failed.put(n, e);
            }
          }
        }));
      }
      load.add(Thread.ofPlatform().name("mapper").start(() -> {
        while (!enough.get()) {
          int cutBefore = mapsCut.get();
          String wrong = mapOnce(mapsWhole, mapsCut);
          if (wrong != null) {
            synchronized (wrongMaps) {
              wrongMaps.add(wrong);
            }
          }
          if (mapsCut.get() > cutBefore) {
            // A map is not retried, so one begun while the server is down, or restoring its apps, fails at once:
            // wait until spawns go through again.
            int spawned = acknowledged.size();
            await().atMost(Duration.ofMinutes(5))
                .until(() -> up.get() && acknowledged.size() >= spawned + 10 || enough.get());
          }
        }
      }));

      for (int kill = 0; kill < serverKills; kill++) {
        int before = acknowledged.size();
        await().atMost(Duration.ofMinutes(5)).until(() -> acknowledged.size() >= before + SPAWNS_BETWEEN_KILLS);
        up.set(false);
        server.kill();
        server.start();
        up.set(true);
      }
      // The restarted server serves both kinds of work: more spawns, and a map that runs whole.
      int before = acknowledged.size();
      int wholeBefore = mapsWhole.get();
      await().atMost(Duration.ofMinutes(5)).until(
          () -> acknowledged.size() >= before + SPAWNS_BETWEEN_KILLS && mapsWhole.get() > wholeBefore);
      enough.set(true);
      for (Thread t : load) {
        t.join();
      }

      for (Map.Entry<Integer, String> spawn : acknowledged.entrySet()) {
        assertThat(FunctionCall.<Integer>fromId(spawn.getValue()).get(Duration.ofMinutes(5)))
            .as("the result of spawn %d (%s)", spawn.getKey(), spawn.getValue())
            .isEqualTo(2 * spawn.getKey());
      }
      Map<Integer, Set<String>> callsThatRan = new HashMap<>();
      Map<Integer, Integer> runs = new HashMap<>();
      try (Stream<Path> files = Files.list(marks)) {
        files.map(f -> f.getFileName().toString().split("_")).forEach(mark -> {
          int n = Integer.parseInt(mark[0]);
          callsThatRan.computeIfAbsent(n, k -> new HashSet<>()).add(mark[1]);
          runs.merge(n, 1, Integer::sum);
        });
      }
      System.err.printf("[chaos] %d server kills: %d spawns acknowledged, %d failed, %d run again after a kill; "
          + "%d maps whole, %d cut off by a kill%n", serverKills, acknowledged.size(), failed.size(),
          runs.values().stream().filter(r -> r > 1).count(), mapsWhole.get(), mapsCut.get());
      assertThat(acknowledged.values()).doesNotHaveDuplicates();
      // An acknowledged spawn ran under its own call and no other; a run cut off by a kill runs again under the
      // same call (at least once, one result). A spawn that reported an error never ran at all.
      acknowledged.forEach((n, id) -> assertThat(callsThatRan.get(n)).as("calls that ran spawn %d", n)
          .containsExactly(id));
      assertThat(failed.keySet()).as("spawns that reported an error and ran")
          .doesNotContainAnyElementsOf(callsThatRan.keySet());
      assertThat(wrongMaps).as("maps that delivered a wrong result").isEmpty();
      run.close();
    }
  }

  /**
   * Maps {@link #MAP_INPUTS} inputs once. A map is not resumed across a restart: one cut off by a kill ends with an
   * error that says what it delivered (or that nothing ran, when it could not reach the server at all); either
   * way, what it delivered must be the right results in order. Returns what was wrong, or null.
   */
  private static String mapOnce(AtomicInteger whole, AtomicInteger cut) {
    List<Long> delivered = new ArrayList<>();
    try (MapCall<Long> results = ChaosApp.square.map(IntStream.range(0, MAP_INPUTS).boxed().toList())) {
      results.forEach(delivered::add);
      whole.incrementAndGet();
    } catch (ShoalException e) {
      cut.incrementAndGet();
      String message = String.valueOf(e.getMessage());
      boolean saysWhatItDelivered = message.contains("after delivering the results of " + delivered.size() + " ")
          || delivered.isEmpty() && message.contains("nothing ran");
      if (!saysWhatItDelivered) {
        return "a map cut off after " + delivered.size() + " results said: " + e.getMessage();
      }
    }
    for (int i = 0; i < delivered.size(); i++) {
      if (delivered.get(i) != (long) i * i) {
        return "result " + i + " was " + delivered.get(i);
      }
    }
    return null;
  }
}
