package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.internal.client.Engines;
import dev.shoal.it.apps.ExitOrderApp;
import dev.shoal.protocol.v1.LogBatch;
import dev.shoal.protocol.v1.LogEntry;
import dev.shoal.protocol.v1.StreamLogsRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Cls's exit hook runs first as its container stops, with its volumes mounted and its output shipped; then the
 * volumes are committed, with what the hook wrote.
 */
class ExitOrderTest {
  @Test
  void exitHookWritesToItsMountedVolumeAndItsOutputReachesTheAppLog() {
    // Volumes outlive runs: what an earlier run's hook wrote must not pass for this one's.
    ExitOrderApp.vol.write("exit.txt", "left by an earlier run".getBytes(StandardCharsets.UTF_8));
    String appId;
    try (AppRun run = ExitOrderApp.app.run()) {
      appId = run.appId();
      assertThat(ExitOrderApp.touch.remote(1)).isEqualTo(1);
    }
    // Closing the run waits for its containers, which commit their volumes before they exit.
    assertThat(new String(ExitOrderApp.vol.read("exit.txt"), StandardCharsets.UTF_8))
        .isEqualTo("written by the exit hook");
    assertThat(logLines(appId)).anyMatch(line -> line.startsWith("exit hook ran in shoal-cls-close"));
  }

  private static List<String> logLines(String appId) {
    List<String> lines = new ArrayList<>();
    Iterator<LogBatch> batches = Engines.current().blocking()
        .streamLogs(StreamLogsRequest.newBuilder().setApp(appId).build());
    batches.forEachRemaining(b -> b.getEntriesList().stream().map(LogEntry::getText).forEach(lines::add));
    return lines;
  }
}
