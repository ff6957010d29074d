package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.it.apps.HugePayloadMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 1 GB argument and a 1 GB result, each from a caller JVM whose heap holds little more than the one value: an
 * encoding held twice, or a payload read whole into memory, would run out of it. Slow and heavy on disk (a few GB
 * in the temporary directory), so tagged {@code large} and left out of the default run; run it with
 * {@code ./mvnw -pl integration-tests -am verify -Dtest=HugePayloadTest -DexcludedTestGroups=
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("large")
@Timeout(1800)
class HugePayloadTest {
  private static final int GIGABYTE = 1_000_000_000;
  /** About the payload, and well short of the two or three copies that a payload held in memory would take. */
  private static final String CALLER_HEAP = "-Xmx1300m";

  private static String caller(String what) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        CALLER_HEAP, "-cp", System.getProperty("java.class.path"), HugePayloadMain.class.getName(), what,
        Integer.toString(GIGABYTE)))
        .redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.MINUTES)).isTrue();
    System.err.println(output);
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void oneGigabyteArgumentTravelsFromACallerWithAHeapOfAboutItsSize() throws Exception {
    assertThat(caller("argument")).contains("OK argument of 1,000,000,000 bytes");
  }

  @Test
  void oneGigabyteResultReachesACallerWithAHeapOfAboutItsSize() throws Exception {
    assertThat(caller("result")).contains("OK result of 1,000,000,000 bytes");
  }
}
