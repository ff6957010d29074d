package dev.shoal.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole harness on tiny inputs, as {@code benchmarks/run} would, and checks what it wrote. It proves the
 * harness works; it asserts nothing about speed.
 */
class HarnessTest {
  private static final List<String> ROW_IDS = List.of(
      "map.processes.1", "map.processes.2", "map.processes.4", "map.threads.1", "map.threads.2", "map.threads.4",
      "remote.processes.p50", "remote.processes.p99", "remote.processes.p99.9", "remote.threads.p50",
      "remote.threads.p99", "remote.threads.p99.9",
      "coldstart.processes", "coldstart.threads", "coldstart.processes.jars", "cli.version", "cli.help",
      "cli.server",
      "lazymap.heap.large", "lazymap.heap.small",
      "spawn.memory.accepted", "spawn.memory.completed", "spawn.postgres.accepted", "spawn.postgres.completed",
      "batched.vs.unbatched", "batched.machinery", "batched.remote.p95",
      "scheduler.output.p99", "scheduler.tick.p99", "scheduler.ready.p99", "scheduler.submit.p50", "scheduler.memory");

  @TempDir
  Path dir;

  @Test
  void writesEveryScenarioWithItsPeers() throws Exception {
    Path json = dir.resolve("latest.json");
    Path output = dir.resolve("output.txt");
    // A JVM of its own, with this one's real classpath, as the benchmarks' containers need.
    Process harness = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Harness.class.getName(), "--tiny", "--out", json.toString())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    boolean exited = harness.waitFor(600, TimeUnit.SECONDS);
    if (!exited) {
      harness.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    System.out.println(printed);
    assertThat(exited).as("the harness finished").isTrue();
    assertThat(harness.exitValue()).as("the harness's exit code").isZero();
    assertThat(printed).contains("| scenario").contains("Shoal ÷ peer");

    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.get("mode").asText()).isEqualTo("tiny");
    assertThat(report.get("machine").get("cores").asInt()).isPositive();
    List<String> ids = new ArrayList<>();
    Set<String> measuredKinds = new HashSet<>();
    for (JsonNode row : report.get("rows")) {
      String id = row.get("id").asText();
      ids.add(id);
      JsonNode shoal = row.get("shoal");
      assertFigure(id + ", Shoal", shoal);
      if (shoal.get("status").asText().equals("ok")) {
        measuredKinds.add(id.substring(0, id.indexOf('.')));
      }
      for (JsonNode peer : row.get("peers")) {
        String name = id + ", " + peer.get("name").asText();
        assertThat(peer.get("status").asText()).as(name + ": " + peer.path("error").asText()).isEqualTo("ok");
        assertFigure(name, peer);
        assertThat(peer.get("shoalDividedByPeer").isNull() || peer.get("shoalDividedByPeer").asDouble() > 0)
            .as(name + " ratio").isTrue();
      }
    }
    assertThat(ids).containsExactlyInAnyOrderElementsOf(ROW_IDS);
    // A Shoal figure may fail (a failure is a result the harness must report, not hide), but the harness has to be
    // able to measure each kind of scenario. The CLI's rows need the cli module built (benchmarks/run builds it), which
    // this module's build does not do.
    measuredKinds.remove("cli");
    assertThat(measuredKinds).containsExactlyInAnyOrder("map", "remote", "coldstart", "lazymap", "spawn", "batched",
        "scheduler");
  }

  @Test
  void onlyMeasuresTheGroupsItNames() throws Exception {
    Path json = dir.resolve("only.json");
    Path output = dir.resolve("only-output.txt");
    Process harness = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Harness.class.getName(), "--tiny", "--only", "remote",
        "--out", json.toString())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    boolean exited = harness.waitFor(300, TimeUnit.SECONDS);
    if (!exited) {
      harness.destroyForcibly();
    }
    assertThat(exited).as("the harness finished").isTrue();
    assertThat(harness.exitValue()).as("the harness's exit code").isZero();
    List<String> ids = new ArrayList<>();
    new ObjectMapper().readTree(json.toFile()).get("rows").forEach(row -> ids.add(row.get("id").asText()));
    assertThat(ids).containsExactlyInAnyOrderElementsOf(
        ROW_IDS.stream().filter(id -> id.startsWith("remote.")).toList());
  }

  @Test
  void anUnknownGroupIsRefusedByName() {
    assertThatThrownBy(() -> Harness.main(new String[] {"--tiny", "--only", "remote,spawns"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'spawns'")
        .hasMessageContaining("map, remote, cold-start, cli, lazy-map, spawn, batched, scheduler");
  }

  /** A measured figure is a positive number; a failed one says why. */
  private static void assertFigure(String what, JsonNode figure) {
    switch (figure.get("status").asText()) {
      case "ok" -> assertThat(figure.get("value").asDouble()).as(what).isPositive();
      case "failed" -> assertThat(figure.get("error").asText()).as(what).isNotBlank();
      default -> throw new AssertionError(what + " has status " + figure.get("status"));
    }
  }
}
