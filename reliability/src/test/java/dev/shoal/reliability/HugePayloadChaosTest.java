package dev.shoal.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads of 1 GB from a caller JVM whose heap holds little more than one of them, and a result over the hard
 * limit. Slow and heavy on disk and memory, so tagged {@code large}: run with {@code -Pfull} (or
 * {@code -DexcludedTestGroups=}).
 */
@Tag("large")
@Timeout(1800)
class HugePayloadChaosTest {
  private static final int GIGABYTE = 1_000_000_000;
  /** About one payload: an encoding held twice, or a payload read whole into memory, would not fit. */
  private static final String CALLER_HEAP = "-Xmx1300m";
  /** The hard limit the over-limit caller sets, which travels with its functions to their containers. */
  private static final long LIMIT = 1_100_000_000L;

  @TempDir
  Path runs;

  private static String caller(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        CALLER_HEAP, "-Dshoal.payload.maxBytes=" + LIMIT, "-cp", System.getProperty("java.class.path"),
        HugePayloadCaller.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(25, TimeUnit.MINUTES)).isTrue();
    System.err.println(output);
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void oneGigabyteArgumentArrivesWholeFromACallerWithAHeapOfAboutItsSize() throws Exception {
    assertThat(caller("argument", Integer.toString(GIGABYTE))).contains("OK argument of 1,000,000,000 bytes");
  }

  @Test
  void oneGigabyteResultArrivesWholeInACallerWithAHeapOfAboutItsSize() throws Exception {
    assertThat(caller("result", Integer.toString(GIGABYTE))).contains("OK result of 1,000,000,000 bytes");
  }

  @Test
  void resultOverTheHardLimitFailsItsInputOnceWithTheLimit() throws Exception {
    String output = caller("over-limit", Integer.toString(1_200_000_000), runs.toString());
    assertThat(output).contains("OK over-limit failed after 1 run(s)")
        .contains("over the limit of 1,100,000,000 bytes");
  }
}
