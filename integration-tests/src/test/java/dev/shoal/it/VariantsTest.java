package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.Batching;
import dev.shoal.FunctionCall;
import dev.shoal.FunctionStats;
import dev.shoal.InvalidOptionException;
import dev.shoal.MapCall;
import dev.shoal.RemoteFunction;
import dev.shoal.it.apps.VariantsApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variants of a function with pools of their own, scaling settings changed while the app runs, and a function's
 * current load, with process containers on the embedded engine.
 */
class VariantsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static AppRun run;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    run = VariantsApp.app.run();
  }

  @AfterAll
  static void stop() {
    run.close();
  }

  @Test
  void variantRunsTheSameBodyInContainersOfItsOwnWithItsOwnOptions() {
    String[] base = VariantsApp.whoami.remote("a").split(" ");
    String[] big = VariantsApp.big.remote("b").split(" ");
    RemoteFunction<String, String> late = VariantsApp.whoami.withOptions(o -> o.env("MODE", "late"));
    String[] madeWhileRunning = late.remote("c").split(" ");

    assertThat(base[1]).isEqualTo("base");
    assertThat(big[1]).isEqualTo("big");
    assertThat(madeWhileRunning[1]).isEqualTo("late");
    assertThat(List.of(base[0], big[0], madeWhileRunning[0])).as("three pools, three containers").doesNotHaveDuplicates();
    assertThat(VariantsApp.big.name()).startsWith("whoami~");
    assertThat(VariantsApp.whoami.withOptions(o -> o.env("MODE", "big")).name())
        .as("the same settings, the same variant").isEqualTo(VariantsApp.big.name());
  }

  @Test
  void batchingVariantGathersBatchesOfItsOwnSize() {
    RemoteFunction<Integer, Integer> fours = VariantsApp.sizes.withBatching(Batching.of(4, Duration.ofMinutes(1)));
    try (MapCall<Integer> results = fours.map(List.of(1, 2, 3, 4))) {
      assertThat(results).containsExactly(4, 4, 4, 4);
    }
    try (MapCall<Integer> results = VariantsApp.sizes.map(List.of(1, 2, 3, 4))) {
      assertThat(results).containsExactly(2, 2, 2, 2);
    }
    assertThatThrownBy(() -> VariantsApp.whoami.withBatching(Batching.of(4, Duration.ZERO)))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("whoami takes one input at a time");
  }

  @Test
  void currentStatsShowTheBacklogBehindABusyContainer() throws IOException {
    List<FunctionCall<String>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(VariantsApp.hold.spawn(dir.toString()));
    }
    await().atMost(WAIT).until(() -> VariantsApp.hold.currentStats().runningInputs() >= 1);
    FunctionStats busy = VariantsApp.hold.currentStats();
    assertThat(busy.containers()).isEqualTo(1);
    assertThat(busy.backlog() + busy.runningInputs()).as("all four are held or queued").isEqualTo(4);
    assertThat(busy.backlog()).as("one container of one input at a time holds at most two").isGreaterThanOrEqualTo(2);

    Files.writeString(dir.resolve("release"), "");

    for (FunctionCall<String> call : calls) {
      assertThat(call.get(WAIT)).isEqualTo("released");
    }
    await().atMost(WAIT).until(() -> {
      FunctionStats done = VariantsApp.hold.currentStats();
      return done.backlog() == 0 && done.runningInputs() == 0;
    });
  }

  @Test
  void raisedFloorStartsContainersWithoutACallAndALoweredOneLetsThemGo() {
    assertThat(VariantsApp.idle.currentStats().containers()).isZero();

    VariantsApp.idle.updateAutoscaler(a -> a.minContainers(2));
    await().atMost(WAIT).until(() -> VariantsApp.idle.currentStats().containers() == 2);

    VariantsApp.idle.updateAutoscaler(a -> a.minContainers(0));
    await().atMost(WAIT).until(() -> VariantsApp.idle.currentStats().containers() == 0);
  }

  @Test
  void autoscalerSettingsOutOfRangeAreRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> VariantsApp.idle.updateAutoscaler(a -> a.minContainers(5).maxContainers(2)))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("maxContainers must be >= minContainers");
    assertThatThrownBy(() -> VariantsApp.idle.updateAutoscaler(a -> a.scaledownWindow(Duration.ZERO)))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("scaledownWindow");
  }
}
