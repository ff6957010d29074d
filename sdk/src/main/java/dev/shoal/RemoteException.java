package dev.shoal;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * An exception thrown by the user's code in a container, carried back to the caller.
 *
 * <p>The remote exception's class is not instantiated here (it may not even be on the caller's classpath):
 * {@link #remoteType()} names it, {@link #getMessage()} repeats its message, and the cause of this exception is a
 * stand-in whose stack trace holds the remote frames, so that {@code printStackTrace()} shows where the call was
 * made and where it failed.
 */
public final class RemoteException extends ShoalException {
  private final String remoteType;
  private final String remoteMessage;

  RemoteException(String remoteType, String remoteMessage, RemoteStackTrace remoteTrace) {
    super(remoteType + (remoteMessage.isEmpty() ? "" : ": " + remoteMessage), remoteTrace);
    this.remoteType = remoteType;
    this.remoteMessage = remoteMessage;
  }

  /** The fully qualified class name of the exception the remote code threw. */
  public String remoteType() {
    return remoteType;
  }

  /** The remote exception's own message, without its type. */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** The remote exception's stack trace, with its causes, formatted as {@code printStackTrace} would. */
  public String remoteStackTrace() {
    StringWriter out = new StringWriter();
    getCause().printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** Holds the frames of a remote exception; it is never thrown. */
  static final class RemoteStackTrace extends Throwable {
    private final String type;

    RemoteStackTrace(String type, String message, StackTraceElement[] frames, RemoteStackTrace cause) {
      super(message, cause, false, true);
      this.type = type;
      setStackTrace(frames);
    }

    @Override
    public String toString() {
      String message = getMessage();
      return "remote " + type + (message == null || message.isEmpty() ? "" : ": " + message);
    }
  }
}
