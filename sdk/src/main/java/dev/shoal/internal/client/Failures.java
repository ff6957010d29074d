package dev.shoal.internal.client;

import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.StackFrame;
import java.util.IdentityHashMap;
import java.util.Map;

/** Turns a Java exception into the wire form of a failure: type, message, frames and causes. */
public final class Failures {
  private static final int MAX_MESSAGE_CHARS = 64 * 1024;
  private static final int MAX_CAUSES = 16;

  private Failures() {}

  public static Failure toProto(Throwable error) {
    return toProto(error, new IdentityHashMap<>(), 0);
  }

  /** A failure that did not come from a Java exception, such as a container that could not start. */
  public static Failure of(String type, String message) {
    return Failure.newBuilder().setType(type).setMessage(message).build();
  }

  private static Failure toProto(Throwable error, Map<Throwable, Boolean> seen, int depth) {
    seen.put(error, Boolean.TRUE);
    String message = error.getMessage() == null ? "" : error.getMessage();
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS) + "… (truncated)";
    }
    Failure.Builder b = Failure.newBuilder().setType(error.getClass().getName()).setMessage(message);
    for (StackTraceElement e : error.getStackTrace()) {
      b.addFrames(StackFrame.newBuilder()
          .setClassName(e.getClassName())
          .setMethodName(e.getMethodName())
          .setFileName(e.getFileName() == null ? "" : e.getFileName())
          .setLineNumber(e.getLineNumber()));
    }
    Throwable cause = error.getCause();
    if (cause != null && !seen.containsKey(cause) && depth < MAX_CAUSES) {
      b.setCause(toProto(cause, seen, depth + 1));
    }
    return b.build();
  }
}
