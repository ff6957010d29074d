package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.RemoteException;
import dev.shoal.Result;
import dev.shoal.SpawnedMap;
import dev.shoal.it.apps.CallControlApp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A detached map's results are read back by its id, in input order, failures included. */
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
}
