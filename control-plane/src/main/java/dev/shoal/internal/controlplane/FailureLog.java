package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.StackFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * The log lines of a failed attempt, as a JVM prints an uncaught exception: a first line naming the input, its call
 * and the attempt, with the remote type and message, then the frames, then each cause. An app's log is a bounded
 * buffer shared by all its containers, so each exception shows at most {@link #MAX_FRAMES} frames.
 */
final class FailureLog {
  static final int MAX_FRAMES = 40;
  /** How deep a chain of causes is followed; a longer one is cut with a note. */
  private static final int MAX_CAUSES = 8;

  private FailureLog() {}

  /**
   * The lines for attempt {@code attempt} of input {@code inputId}, in call {@code callId}, that failed with
   * {@code failure}; {@code next} says what happens now (a retry, or the call's end).
   */
  static List<String> lines(String inputId, String callId, int attempt, Failure failure, String next) {
    List<String> lines = new ArrayList<>();
    lines.add("input " + inputId + " of call " + callId + " failed on attempt " + attempt + " (" + next + "): "
        + headline(failure));
    Failure f = failure;
    for (int depth = 0; f != null; depth++) {
      if (depth > 0) {
        if (depth > MAX_CAUSES) {
          lines.add("\t... causes past " + MAX_CAUSES + " left out");
          break;
        }
        lines.add("Caused by: " + headline(f));
      }
      List<StackFrame> frames = f.getFramesList();
      for (int i = 0; i < Math.min(MAX_FRAMES, frames.size()); i++) {
        lines.add("\tat " + frame(frames.get(i)));
      }
      if (frames.size() > MAX_FRAMES) {
        lines.add("\t... " + (frames.size() - MAX_FRAMES) + " more");
      }
      f = f.hasCause() ? f.getCause() : null;
    }
    return lines;
  }

  private static String headline(Failure f) {
    return f.getMessage().isEmpty() ? f.getType() : f.getType() + ": " + f.getMessage();
  }

  private static String frame(StackFrame s) {
    String where = s.getFileName().isEmpty() ? "Unknown Source"
        : s.getLineNumber() >= 0 ? s.getFileName() + ":" + s.getLineNumber() : s.getFileName();
    return s.getClassName() + "." + s.getMethodName() + "(" + where + ")";
  }
}
