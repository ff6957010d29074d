package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.Cls;
import dev.shoal.FunctionCall;
import dev.shoal.InvalidOptionException;
import dev.shoal.RemoteException;
import dev.shoal.RunOptions;
import dev.shoal.it.apps.ClsApp;
import dev.shoal.it.apps.ClsApp.Greeter;
import dev.shoal.it.apps.ClsApp.Scaled;
import dev.shoal.it.apps.ClsApp.Seen;
import dev.shoal.it.apps.ClsShutdownApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Classes end to end: a factory once per container, one instance for every input, close() when it stops. */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClsTest {
  private static AppRun run;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    run = ClsApp.app.run();
  }

  @AfterAll
  static void stop() {
    run.close();
  }

  private static String awaitFile(Path file) throws java.io.IOException {
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(file) && Files.size(file) > 0);
    return Files.readString(file);
  }

  @Test
  void factoryRunsOncePerContainerAndTheInstanceKeepsItsState() {
    List<Seen> seen = IntStream.rangeClosed(1, 5).mapToObj(i -> ClsApp.add.remote(1)).toList();
    assertThat(seen).extracting(Seen::containerId).containsOnly(seen.get(0).containerId());
    assertThat(seen).extracting(Seen::factoryRuns).containsOnly(1);
    long before = seen.get(0).value() - 1;
    assertThat(seen).extracting(Seen::value).containsExactly(before + 1, before + 2, before + 3, before + 4, before + 5);
  }

  @Test
  void everyMethodOfAClassRunsOnTheSameInstance() {
    Seen added = ClsApp.add.remote(10);
    Seen read = ClsApp.read.remote(0);
    assertThat(read.containerId()).isEqualTo(added.containerId());
    assertThat(read.value()).isEqualTo(added.value());
    assertThat(read.factoryRuns()).isEqualTo(1);
  }

  @Test
  void methodsSeeTheParametersOfTheirSet() {
    assertThat(ClsApp.greet.remote("Ada")).isEqualTo("hello, Ada");
    assertThat(ClsApp.french.method(ClsApp.greet).remote("Ada")).isEqualTo("bonjour, Ada");
    Cls<Greeter> formal = ClsApp.greeter.with(Map.of("greeting", "good evening"));
    assertThat(formal.method(ClsApp.greet).map(List.of("Ada", "Alan")).toList())
        .containsExactly("good evening, Ada", "good evening, Alan");
  }

  @Test
  void eachParameterSetHasAPoolOfItsOwn() {
    String a1 = ClsApp.tagged.with(Map.of("tag", "a")).method(ClsApp.whereIs).remote(0);
    String a2 = ClsApp.tagged.with(Map.of("tag", "a")).method(ClsApp.whereIs).remote(0);
    String b = ClsApp.tagged.with(Map.of("tag", "b")).method(ClsApp.whereIs).remote(0);
    assertThat(a1).startsWith("a@ct-").isEqualTo(a2);
    assertThat(b).startsWith("b@ct-");
    assertThat(b.substring(2)).isNotEqualTo(a1.substring(2));
  }

  @Test
  void batchedMethodRunsBatchesOnTheInstance() {
    Cls<Long> triple = ClsApp.scaler.with(Map.of("factor", 3));
    List<FunctionCall<Scaled>> calls = IntStream.range(0, 12).mapToObj(triple.method(ClsApp.scale)::spawn).toList();
    List<Scaled> results = calls.stream().map(FunctionCall::get).toList();
    assertThat(results).extracting(Scaled::value).containsExactlyElementsOf(
        IntStream.range(0, 12).mapToObj(i -> (long) i * 3).toList());
    assertThat(results).extracting(Scaled::batchSize).anySatisfy(size -> assertThat(size).isGreaterThan(1));
    assertThat(results).extracting(Scaled::factoryRuns).containsOnly(1);
  }

  @Test
  void factoryThatThrowsFailsTheCallersWithItsError() {
    assertThatThrownBy(() -> ClsApp.useBroken.remote(1))
        .isInstanceOf(RemoteException.class)
        .hasMessageContaining("failed to start")
        .hasMessageContaining("the factory of class 'Broken' threw")
        .hasMessageContaining("no weights found at /models/missing.bin");
  }

  @Test
  void closeRunsWhenTheContainerScalesDown() throws Exception {
    Path closed = dir.resolve("scaled-down");
    Cls<Greeter> greeter = ClsApp.greeter.with(Map.of("closeFile", closed.toString()));
    assertThat(greeter.method(ClsApp.greet).remote("Grace")).isEqualTo("hello, Grace");
    // The class's scaledownWindow is 1 s: the idle container stops, and its instance is closed.
    assertThat(awaitFile(closed)).startsWith("closed by ");
  }

  @Test
  void closeRunsWhenTheContainerProcessReceivesSigterm() throws Exception {
    Path closed = dir.resolve("sigterm");
    Cls<Greeter> greeter = ClsApp.greeter.with(Map.of("closeFile", closed.toString(), "greeting", "sigterm"));
    long pid = greeter.method(ClsApp.greeterPid).remote(0);
    assertThat(ProcessHandle.of(pid).orElseThrow().destroy()).isTrue();
    assertThat(awaitFile(closed)).isEqualTo("closed by " + pid);
  }

  @Test
  void closeRunsBeforeTheRunEnds() throws Exception {
    Path closed = dir.resolve("run-end");
    try (AppRun shutdownRun = ClsShutdownApp.app.run()) {
      assertThat(ClsShutdownApp.marker.with(Map.of("path", closed.toString())).method(ClsShutdownApp.touch).remote(7))
          .isEqualTo(7);
    }
    // Closing the run waits for its containers, which close their instances before they exit.
    assertThat(closed).hasContent("closed at run end");
  }

  @Test
  void threadContainerClosesItsInstanceWhenTheRunEnds() throws Exception {
    Path closed = dir.resolve("thread-run-end");
    try (AppRun threads = ClsShutdownApp.app.run(RunOptions.builder().backend(Backend.THREADS).build())) {
      Cls<ClsShutdownApp.Marker> marker = ClsShutdownApp.marker.with(Map.of("path", closed.toString()));
      assertThat(marker.method(ClsShutdownApp.touch).map(List.of(1, 2, 3)).toList()).containsExactly(1, 2, 3);
    }
    assertThat(closed).hasContent("closed at run end");
  }

  @Test
  void methodsAreDefinedOnTheClassItselfNotOnAParameterSet() {
    assertThatThrownBy(() -> ClsApp.tagged.with(Map.of("tag", "x")).method("late", (tag, x) -> x))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("define methods on class 'Tagged' itself");
    assertThatThrownBy(() -> ClsApp.counter.with(Map.of("n", 1)))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("takes no ClsParams");
  }

  @Test
  void localRunsTheMethodOnAnInstanceInThisJvm() {
    assertThat(ClsApp.french.method(ClsApp.greet).local("Ada")).isEqualTo("bonjour, Ada");
    assertThat(ClsApp.scaler.with(Map.of("factor", 5)).method(ClsApp.scale).local(2).value()).isEqualTo(10);
  }
}
