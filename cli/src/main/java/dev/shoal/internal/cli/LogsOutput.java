package dev.shoal.internal.cli;

import dev.shoal.internal.client.LogPrinter;
import dev.shoal.protocol.v1.LogBatch;
import dev.shoal.protocol.v1.LogEntry;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How {@code shoal app logs} prints an app's log: one line per entry, with the local time and the prefix the
 * caller's terminal shows, or one JSON object per line for scripts.
 */
final class LogsOutput {
  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private final PrintStream out;
  private final boolean json;

  LogsOutput(PrintStream out, boolean json) {
    this.out = out;
    this.json = json;
  }

  void print(LogBatch batch) {
    if (batch.getDropped() > 0) {
      if (json) {
        out.println(Json.write(Map.of("dropped", batch.getDropped())));
      } else {
        out.println("[shoal] " + batch.getDropped() + " log lines dropped: they left the server's bounded log"
            + " buffer before they were read");
      }
    }
    for (LogEntry e : batch.getEntriesList()) {
      out.println(json ? Json.write(fields(e)) : LOCAL_TIME.format(Instant.ofEpochMilli(e.getTimeMs())) + " "
          + LogPrinter.format(e));
    }
    out.flush();
  }

  /** The stable field names of {@code --json}. */
  static Map<String, Object> fields(LogEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", e.getSeq());
    m.put("time", Instant.ofEpochMilli(e.getTimeMs()).toString());
    m.put("source", e.getSource().name().toLowerCase(Locale.ROOT));
    m.put("function", e.getFunction());
    m.put("container", e.getContainerId());
    m.put("input", e.getInputId());
    m.put("call", e.getCallId());
    m.put("text", e.getText());
    return m;
  }
}
