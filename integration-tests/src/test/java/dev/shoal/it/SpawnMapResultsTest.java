package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.RemoteException;
import dev.shoal.Result;
import dev.shoal.SpawnedMap;
import dev.shoal.it.apps.CallControlApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A detached map's results are read back by its id, in input order or as they finish, failures included. */
class SpawnMapResultsTest {
  private static AppRun run;

  @BeforeAll
  static void start() {
    run = CallControlApp.app.run();
  }

  @AfterAll
  static void stop() {
    run.close();
  }

  @Test
  void resultsOfADetachedMapAreReadBackByIdInInputOrder() {
    List<Integer> inputs = IntStream.range(0, 1_200).boxed().toList(); // more than one page
    String id = CallControlApp.odd.spawnMap(inputs).id();

    List<Result<Integer>> results = new ArrayList<>();
    Iterable<Result<Integer>> byId = SpawnedMap.fromId(id).results();
    byId.forEach(results::add);

    assertThat(results).hasSize(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      Result<Integer> r = results.get(i);
      if (i % 500 == 7) {
        assertThat(r.isSuccess()).isFalse();
        assertThat(((Result.Failure<Integer>) r).error()).isInstanceOf(RemoteException.class)
            .hasMessageContaining("input " + i + " is unlucky");
      } else {
        assertThat(r.value()).isEqualTo(i * 2);
      }
    }
  }

  @Test
  void unorderedResultsComeAsInputsFinishWithoutWaitingForASlowInput(@TempDir Path dir) throws Exception {
    // More inputs than the engine's window of 1,000: input 0 waits, so the window cannot move past it until
    // it is released, and every other input of the window is returned before it.
    List<String> inputs = IntStream.range(0, 1_200).mapToObj(i -> dir.resolve(Integer.toString(i)).toString())
        .toList();
    String id = CallControlApp.gated.spawnMap(inputs).id();

    Iterator<SpawnedMap.IndexedResult<Integer>> results =
        SpawnedMap.fromId(id).<Integer>unorderedResults().iterator();
    Set<Long> before = new HashSet<>();
    for (int i = 0; i < 999; i++) {
      SpawnedMap.IndexedResult<Integer> r = results.next();
      assertThat(r.result().value()).isEqualTo((int) r.index());
      before.add(r.index());
    }
    assertThat(before).hasSize(999).doesNotContain(0L);
    assertThat(before.stream().mapToLong(Long::longValue).max().orElseThrow()).isLessThan(1_000);

    Files.writeString(dir.resolve("release"), "");
    Set<Long> after = new HashSet<>();
    results.forEachRemaining(r -> {
      assertThat(r.result().value()).isEqualTo((int) r.index());
      after.add(r.index());
    });
    assertThat(after).hasSize(201).contains(0L).doesNotContainAnyElementsOf(before);
  }
}
