package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.Args;
import dev.shoal.MapProgress;
import dev.shoal.SpawnedMap;
import dev.shoal.it.apps.SpawnMapApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spawnMap stores every input, returns at once, and counts outcomes; the tasks write their own output. */
class SpawnMapTest {
  @TempDir
  Path out;

  @Test
  void detachedMapWritesEveryOutputAndCountsTheFailure() throws Exception {
    try (AppRun run = SpawnMapApp.app.run()) {
      String dir = out.toString();
      SpawnedMap map = SpawnMapApp.write.spawnMap(IntStream.range(0, 100).mapToObj(n -> Args.of(dir, n)));
      assertThat(map.id()).startsWith("fc-");
      assertThat(map.progress().total()).isEqualTo(100);
      await().atMost(Duration.ofSeconds(120)).until(() -> SpawnedMap.fromId(map.id()).progress().isDone());
      MapProgress done = map.progress();
      assertThat(done.succeeded()).isEqualTo(99);
      assertThat(done.failed()).isEqualTo(1);
      assertThat(done.pending() + done.running()).isZero();
      for (int n = 0; n < 100; n++) {
        if (n != 13) {
          assertThat(Files.readString(out.resolve(n + ".txt"))).isEqualTo(Integer.toString(n * n));
        }
      }
    }
  }

  @Test
  void cancellingADetachedMapStopsWhatHasNotRun() {
    try (AppRun run = SpawnMapApp.app.run()) {
      SpawnedMap map = SpawnMapApp.write.spawnMap(IntStream.range(20, 20_020).mapToObj(n -> Args.of(out.toString(), n)));
      map.cancel();
      await().atMost(Duration.ofSeconds(60)).until(() -> map.progress().isDone());
      assertThat(map.progress().cancelled()).isPositive();
    }
  }
}
