package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.FunctionCall;
import dev.shoal.FunctionTimeoutException;
import dev.shoal.Output;
import dev.shoal.RunOptions;
import dev.shoal.it.apps.OutputApp;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Output on: what containers print, and their lifecycle, reach the caller's terminal with prefixes that name
 * the function, container and input. The terminal is the internal sink, captured.
 */
@Timeout(300)
class OutputTest {
  private static final String CT = "ct-[0-9A-Za-z]{6}";
  private static final String INPUT = "fc-[0-9A-Za-z]{22}(?:-\\d+)?";
  private static final Pattern CHATTY_LINE =
      Pattern.compile("\\[chatty " + CT + " (" + INPUT + ")] line (\\d+) of (" + INPUT + ") x{40}");
  private static final Pattern CHILD_LINE = Pattern.compile("\\[chatty " + CT + " (" + INPUT + ")] child of (" + INPUT + ")");
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String DROPPED = ".*\\d+ (log )?lines? dropped: .*";
  private static final Pattern DROPPED_COUNT = Pattern.compile("(\\d+) (?:log )?lines? dropped: ");

  @Test
  void processContainerPrintsAndLifecycleReachTheCallerWithPrefixes() throws Exception {
    try (CapturedOutput out = new CapturedOutput()) {
      try (AppRun run = OutputApp.app.run(RunOptions.builder().output(true).build())) {
        assertThat(OutputApp.echo.remote(7)).isEqualTo(7);
        await().atMost(WAIT).untilAsserted(() -> {
          assertThat(out.matching("\\[echo " + CT + " " + INPUT + "] hello 7")).hasSize(1);
          assertThat(out.matching("\\[echo " + CT + " " + INPUT + " stderr] warn 7")).hasSize(1);
        });
        assertThat(out.matching("\\[echo " + CT + "] starting container on processes")).hasSize(1);
        assertThat(out.matching("\\[echo " + CT + "] container started in \\d+ ms")).hasSize(1);
      }
      // Closing the run waits for its last lines, the containers' ends among them.
      assertThat(out.matching("\\[echo " + CT + "] container stopped")).hasSize(1);
    }
  }

  @Test
  void threadContainerPrintsAreRoutedPerInputAndTheCallersOwnPrintsAreNot() throws Exception {
    try (CapturedOutput out = new CapturedOutput();
        Output output = Output.enable();
        AppRun run = OutputApp.app.run(RunOptions.builder().backend(Backend.THREADS).build())) {
      System.out.println("the caller's own line, before");
      List<Integer> lines = Collections.nCopies(8, 100);
      assertThat(OutputApp.chatty.map(lines).toList()).isEqualTo(lines);
      System.out.println("the caller's own line, after");
      awaitWholeAttributedLines(out, 8, 100);
      assertThat(out.lines()).noneMatch(l -> l.contains("the caller's own line"));
    }
  }

  @Test
  void linesOfConcurrentInputsInAProcessContainerAreWholeAndAttributed() throws Exception {
    try (CapturedOutput out = new CapturedOutput();
        AppRun run = OutputApp.app.run(RunOptions.builder().output(true).build())) {
      List<Integer> lines = Collections.nCopies(8, 300);
      assertThat(OutputApp.chatty.map(lines).toList()).isEqualTo(lines);
      awaitWholeAttributedLines(out, 8, 300);
    }
  }

  @Test
  void aFloodOfOutputDoesNotStallTheFunctionAndDroppedLinesAreMarked() throws Exception {
    Pattern floodLine = Pattern.compile("\\[flood " + CT + " " + INPUT + "] y{90}\\d+");
    try (CapturedOutput out = new CapturedOutput(line -> floodLine.matcher(line).matches())) {
      try (AppRun run = OutputApp.app.run(RunOptions.builder().output(true).build())) {
        assertThat(OutputApp.flood.remote(1_000_000)).isEqualTo(1_000_000);
        await().atMost(WAIT).untilAsserted(() -> assertThat(out.matching(DROPPED))
            .as("lines reporting drops among the %d shown", out.total()).isNotEmpty());
        // The run still serves, and its output still arrives.
        assertThat(OutputApp.echo.remote(11)).isEqualTo(11);
        await().atMost(WAIT).until(() -> out.anyMatches("\\[echo " + CT + " " + INPUT + "] hello 11"));
      }
      // Lines were dropped rather than waited for, and none was shown twice. (The markers' sum is not checked for
      // equality: a marker that left the engine's buffer unread is itself counted as one line missed.)
      long shown = out.total() - out.lines().stream().filter(l -> !floodLine.matcher(l).matches()).count();
      long dropped = out.matching(DROPPED).stream().mapToLong(OutputTest::droppedCount).sum();
      System.out.printf("flood: %d of 1000000 lines shown, %d reported dropped by %d markers%n", shown, dropped,
          out.matching(DROPPED).size());
      assertThat(shown).isLessThan(1_000_000);
      assertThat(dropped).isPositive();
      assertThat(shown + dropped).isLessThanOrEqualTo(1_000_000 + 20);
    }
  }

  private static long droppedCount(String marker) {
    Matcher m = DROPPED_COUNT.matcher(marker);
    assertThat(m.find()).as(marker).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void timeoutKillsAndCrashesAppearAsLifecycleEvents() throws Exception {
    try (CapturedOutput out = new CapturedOutput();
        AppRun run = OutputApp.app.run(RunOptions.builder().output(true).build())) {
      assertThatThrownBy(() -> OutputApp.stuck.remote(1)).isInstanceOf(FunctionTimeoutException.class);
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(out.matching("\\[stuck " + CT + " " + INPUT + "] stuck 1 begins")).hasSize(1);
        assertThat(out.matching("\\[stuck " + CT + " " + INPUT + "] killing container: input " + INPUT
            + " ran past the timeout of 2000 ms \\(attempt 1\\)")).hasSize(1);
        assertThat(out.matching("\\[stuck " + CT + "] container stopped")).hasSize(1);
      });

      FunctionCall<Integer> crash = OutputApp.crash.spawn(5);
      await().atMost(WAIT).until(() -> out.anyMatches("\\[crash " + CT + "] container crashed with exit code 42"));
      // What it printed just before its JVM halted may not have left the container: that line is not asserted.
      crash.cancel();
    }
  }

  @Test
  void withOutputOffNothingIsShown() throws Exception {
    try (CapturedOutput out = new CapturedOutput()) {
      try (AppRun run = OutputApp.app.run()) {
        assertThat(OutputApp.echo.remote(3)).isEqualTo(3);
      }
      assertThat(out.lines()).isEmpty();
    }
  }

  /**
   * Waits until each of {@code inputs} inputs of {@code chatty} showed all its lines, then checks that every line
   * is whole and carries the prefix of the input that printed it.
   */
  private static void awaitWholeAttributedLines(CapturedOutput out, int inputs, int linesEach) {
    await().atMost(WAIT).untilAsserted(() -> {
      Map<String, Integer> perInput = new HashMap<>();
      int children = 0;
      for (String line : out.lines()) {
        if (!line.startsWith("[chatty ") || line.matches("\\[chatty " + CT + "] .*")) {
          continue; // another function's line, or a lifecycle event
        }
        Matcher m = CHATTY_LINE.matcher(line);
        Matcher child = CHILD_LINE.matcher(line);
        if (m.matches()) {
          assertThat(m.group(1)).as("the prefix of %s", line).isEqualTo(m.group(3));
          perInput.merge(m.group(1), 1, Integer::sum);
        } else if (child.matches()) {
          assertThat(child.group(1)).as("the prefix of %s", line).isEqualTo(child.group(2));
          children++;
        } else {
          throw new AssertionError("a line broken or mixed with another: " + line);
        }
      }
      assertThat(perInput).hasSize(inputs).allSatisfy((input, n) -> assertThat(n).isEqualTo(linesEach));
      assertThat(children).isEqualTo(inputs);
    });
  }
}
