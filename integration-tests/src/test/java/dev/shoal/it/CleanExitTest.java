package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.it.apps.CleanExitMain;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a job's JVM ends (issue 23, items 1 and 5), in a real child JVM on the embedded engine with process
 * containers: Ctrl-C on a running map, and a job that served the dashboard.
 */
class CleanExitTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /**
   * A shell without job control starts its background commands with SIGINT ignored, and a JVM leaves an ignored
   * SIGINT ignored: a suite started so would send Ctrl-C to jobs that cannot hear it. GNU env(1) gives the job the
   * default disposition back, as a terminal's shell does, and then becomes the JVM (same process); where env has no
   * such option (BSD, macOS), jobs start as they are.
   */
  private static final List<String> DEFAULT_SIGINT = defaultSigint();

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopChildren() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void ctrlCOnARunningMapPrintsOneLineAndExits130() throws Exception {
    Process job = start(Map.of(), "map");
    // Both inputs have started in their containers: the map is under way when Ctrl-C comes.
    await().atMost(WAIT).until(() -> Files.exists(dir.resolve("started-1")) && Files.exists(dir.resolve("started-2")));
    List<ProcessHandle> containers = job.descendants().toList();
    assertThat(containers).isNotEmpty();

    interrupt(job);

    assertThat(job.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the job exits").isTrue();
    assertThat(job.exitValue()).isEqualTo(130);
    String err = Files.readString(dir.resolve("err"));
    assertThat(err.lines().filter(l -> l.startsWith("shoal: "))).singleElement().asString()
        .matches("shoal: the JVM is exiting: cancelled run ap-\\S+ of app 'clean-exit', its unfinished calls and its"
            + " containers");
    assertThat(err).doesNotContain("Exception", "\tat ");
    assertThat(Files.readString(dir.resolve("out"))).doesNotContain("unexpected result");
    await().atMost(WAIT).until(() -> containers.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void theDashboardNeverKeepsTheJvmAliveEvenWhenTheRunIsLeftOpen() throws Exception {
    // The run is never closed, so nothing closes the dashboard: only its threads being daemons lets the JVM go.
    Process job = start(Map.of("SHOAL_DASHBOARD", "1"), "open");

    assertThat(job.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the job exits by itself").isTrue();
    assertThat(job.exitValue()).isZero();
    assertThat(Files.readString(dir.resolve("out"))).contains("square 49", "main returned");
    String err = Files.readString(dir.resolve("err"));
    assertThat(err).contains("Shoal dashboard: http://",
        "shoal: the JVM is exiting: cancelled run ");
    assertThat(err).doesNotContain("Exception");
  }

  @Test
  void aKeptDashboardOutlivesMainUntilCtrlC() throws Exception {
    Process job = start(Map.of("SHOAL_DASHBOARD", "keep"), "call");
    await().atMost(WAIT).until(() -> Files.readString(dir.resolve("out")).contains("main returned"));
    String err = Files.readString(dir.resolve("err"));
    Matcher kept = Pattern.compile("the dashboard stays open at (http://\\S+) until you press Ctrl-C").matcher(err);
    assertThat(kept.find()).as("stderr says how to close it: %s", err).isTrue();

    // main has returned, and the page is still served.
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(kept.group(1))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
    }
    assertThat(job.isAlive()).isTrue();

    interrupt(job);

    assertThat(job.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("Ctrl-C closes it").isTrue();
    assertThat(job.exitValue()).isEqualTo(130);
    assertThat(Files.readString(dir.resolve("err"))).doesNotContain("Exception");
  }

  private Process start(Map<String, String> env, String mode) throws IOException {
    List<String> command = new ArrayList<>(DEFAULT_SIGINT);
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dshoal.maxContainers=2",
        "-Dshoal.volumesDir=" + dir.resolve("volumes"),
        "-Dshoal.secretsDir=" + dir.resolve("secrets"),
        "-cp", System.getProperty("java.class.path"), CleanExitMain.class.getName(), mode));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile());
    builder.environment().remove("SHOAL_SERVER");
    builder.environment().put(CleanExitMain.MARKER_ENV, dir.toString());
    builder.environment().putAll(env);
    Process p = builder.start();
    started.add(p);
    return p;
  }

  private static List<String> defaultSigint() {
    List<String> prefix = List.of("env", "--default-signal=INT");
    try {
      Process probe = new ProcessBuilder(prefix).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0 ? prefix : List.of();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /** Sends SIGINT, as Ctrl-C on the job's terminal does. */
  private static void interrupt(Process job) throws Exception {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(job.pid())).inheritIO().start();
    assertThat(kill.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }
}
