package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.it.apps.CallControlApp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every failed attempt is written to the app's log with its stack trace; a call reads its own lines back. */
class FailureLogsTest {
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
  void failedAttemptIsInTheCallsLogsWithItsIdsAttemptTypeMessageAndStackTrace() {
    FunctionCall<String> call = CallControlApp.flaky.spawn("job-a");
    assertThat(call.get(Duration.ofSeconds(60))).isEqualTo("job-a done");

    // Printed lines travel apart from results, so they may come a moment after the result.
    await().atMost(Duration.ofSeconds(30)).until(() -> call.logs().contains("job-a trying attempt 2"));
    List<String> lines = call.logs();
    assertThat(lines).contains("job-a trying attempt 1");
    String header = lines.stream().filter(l -> l.contains(" failed on attempt ")).findFirst().orElseThrow();
    assertThat(header)
        .matches("input \\S+ of call " + call.id() + " failed on attempt 1 \\(retrying in 0 ms\\): "
            + "java.lang.IllegalStateException: job-a broke on attempt 1");
    List<String> trace = lines.subList(lines.indexOf(header) + 1, lines.size());
    assertThat(trace.getFirst()).startsWith("\tat dev.shoal.it.apps.CallControlApp.");
    assertThat(trace).contains("Caused by: java.io.IOException: disk full");
  }

  @Test
  void callsLogsHoldNoOtherCallsLines() {
    FunctionCall<String> first = CallControlApp.flaky.spawn("job-b");
    FunctionCall<String> second = CallControlApp.flaky.spawn("job-c");
    assertThat(FunctionCall.gather(first, second)).containsExactly("job-b done", "job-c done");

    await().atMost(Duration.ofSeconds(30)).until(() -> second.logs().contains("job-c trying attempt 2"));
    assertThat(second.logs()).noneMatch(l -> l.contains("job-b")).anyMatch(l -> l.contains(second.id()));
  }
}
