package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.it.apps.LifecycleApp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No container process outlives the run that started it, however the run ends. */
class ContainerLifetimeTest {
  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void noContainerSurvivesAppRunClose() {
    List<Long> pids;
    try (AppRun run = LifecycleApp.app.run()) {
      pids = LifecycleApp.containerPids();
      assertThat(pids).isNotEmpty().allSatisfy(pid -> assertThat(alive(pid)).isTrue());
    }
    assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).as("container %d after close", pid).isFalse());
  }

  @Test
  void noContainerSurvivesTheCallerBeingKilled() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process caller = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LifecycleApp.class.getName())
        .redirectErrorStream(true)
        .start();
    List<Long> pids;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(caller.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null && !line.startsWith("PIDS ")) {
        seen.append(line).append('\n');
      }
      assertThat(line).as("the caller's output:\n%s", seen).isNotNull();
      pids = Arrays.stream(line.substring(5).trim().split(" ")).map(Long::parseLong).toList();
      assertThat(pids).isNotEmpty().allSatisfy(pid -> assertThat(alive(pid)).isTrue());
      caller.destroyForcibly(); // SIGKILL: the caller gets no chance to clean up
      caller.waitFor();
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).as("container %d", pid).isFalse()));
  }
}
