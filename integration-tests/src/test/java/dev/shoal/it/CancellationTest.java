package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.CallStatus;
import dev.shoal.CancelledException;
import dev.shoal.FunctionCall;
import dev.shoal.MapCall;
import dev.shoal.SpawnedMap;
import dev.shoal.it.apps.CallControlApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancelling inputs that already run, with process containers: each function has one container that takes one
 * input at a time, so a call queued behind a cancelled one finishes within the test's wait only if the cancelled
 * one really stopped (it would otherwise run for a minute).
 */
class CancellationTest {
  private static final Duration WAIT = Duration.ofSeconds(45);
  private static AppRun run;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    run = CallControlApp.app.run();
  }

  @AfterAll
  static void stop() {
    run.close();
  }

  private Path markers(String name) throws IOException {
    return Files.createDirectories(dir.resolve(name));
  }

  private static long awaitMarker(Path file) throws IOException {
    await().atMost(WAIT).until(() -> Files.exists(file) && Files.size(file) > 0);
    return Long.parseLong(Files.readString(file).trim());
  }

  @Test
  void cancellingARunningCallInterruptsItAndItsContainerTakesTheNextInput() throws IOException {
    Path a = markers("a");
    FunctionCall<Long> running = CallControlApp.sleeper.spawn(a.toString());
    long pid = awaitMarker(a.resolve("started-1"));
    FunctionCall<Long> next = CallControlApp.sleeper.spawn("");

    running.cancel();

    assertThat(next.get(WAIT)).as("the same container, free again").isEqualTo(pid);
    assertThat(a.resolve("interrupted")).exists();
    assertThatThrownBy(running::get).isInstanceOf(CancelledException.class);
    assertThat(running.status()).isEqualTo(CallStatus.CANCELLED);
    assertThat(a.resolve("started-2")).as("a cancelled input is not retried").doesNotExist();
  }

  @Test
  void functionThatIgnoresInterruptionIsStoppedWhereItNextReachesShoal() throws IOException {
    Path b = markers("b");
    FunctionCall<Long> running = CallControlApp.stubborn.spawn(b.toString());
    long pid = awaitMarker(b.resolve("started-1"));

    running.cancel();

    assertThat(CallControlApp.stubborn.spawn("").get(WAIT)).as("the same container, free again").isEqualTo(pid);
    assertThat(b.resolve("ignored-interrupt")).exists();
    assertThat(b.resolve("stopped-by-CancelledException")).exists();
    assertThat(b.resolve("started-2")).doesNotExist();
  }

  @Test
  void containerOfAnInputThatCannotBeStoppedIsReplacedAfterTheGracePeriod() throws IOException {
    Path c = markers("c");
    FunctionCall<Long> running = CallControlApp.spinner.spawn(c.toString());
    long pid = awaitMarker(c.resolve("started-1"));

    running.cancel();

    assertThatThrownBy(running::get).isInstanceOf(CancelledException.class);
    long replacement = CallControlApp.spinner.spawn("").get(WAIT);
    assertThat(replacement).isNotEqualTo(pid);
    await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    assertThat(c.resolve("started-2")).doesNotExist();
  }

  @Test
  void closingAMapStopsItsRunningInput() throws IOException {
    Path m = markers("m");
    Path queued = markers("m-queued");
    long pid;
    try (MapCall<Long> map = CallControlApp.sleeper.map(List.of(m.toString(), queued.toString()))) {
      Iterator<Long> results = map.iterator();
      assertThat(results).isNotNull();
      pid = awaitMarker(m.resolve("started-1"));
    }

    assertThat(CallControlApp.sleeper.spawn("").get(WAIT)).isEqualTo(pid);
    assertThat(m.resolve("interrupted")).exists();
    assertThat(queued.resolve("started-1")).as("the queued input never ran").doesNotExist();
  }

  @Test
  void cancellingASpawnedMapStopsItsRunningInput() throws IOException {
    Path s = markers("s");
    SpawnedMap map = CallControlApp.sleeper.spawnMap(List.of(s.toString()));
    long pid = awaitMarker(s.resolve("started-1"));

    map.cancel();

    assertThat(CallControlApp.sleeper.spawn("").get(WAIT)).isEqualTo(pid);
    assertThat(s.resolve("interrupted")).exists();
    await().atMost(WAIT).until(() -> map.progress().cancelled() == 1);
  }

  @Test
  void cancellingOneInputOfARunningBatchLeavesTheOtherItsResult() throws IOException {
    Path batch = markers("batch");
    FunctionCall<Integer> kept = CallControlApp.pairs.spawn(Files.createDirectories(batch.resolve("1")).toString());
    FunctionCall<Integer> dropped = CallControlApp.pairs.spawn(Files.createDirectories(batch.resolve("2")).toString());
    await().atMost(WAIT).until(() -> Files.exists(batch.resolve("batch-of-2")));

    dropped.cancel();
    Files.writeString(batch.resolve("release"), "");

    assertThat(kept.get(WAIT)).isEqualTo(10);
    assertThatThrownBy(dropped::get).isInstanceOf(CancelledException.class);
  }

  @Test
  void cancellingEveryInputOfARunningBatchInterruptsItAndFreesItsContainer() throws IOException {
    Path stuck = markers("stuck");
    FunctionCall<Integer> one = CallControlApp.pairs.spawn(Files.createDirectories(stuck.resolve("1")).toString());
    FunctionCall<Integer> two = CallControlApp.pairs.spawn(Files.createDirectories(stuck.resolve("2")).toString());
    await().atMost(WAIT).until(() -> Files.exists(stuck.resolve("batch-of-2")));

    one.cancel();
    two.cancel();

    Path free = markers("free");
    Files.writeString(free.resolve("release"), "");
    FunctionCall<Integer> three = CallControlApp.pairs.spawn(Files.createDirectories(free.resolve("3")).toString());
    FunctionCall<Integer> four = CallControlApp.pairs.spawn(Files.createDirectories(free.resolve("4")).toString());
    assertThat(FunctionCall.gather(three, four)).containsExactly(30, 40);
  }
}
