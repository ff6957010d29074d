package dev.shoal.internal.client;

import java.io.PrintStream;

/**
 * The JVM's real stdout and stderr. The container runtime replaces {@code System.out} and {@code System.err}
 * to capture what containers print; what Shoal prints for the caller goes to the streams they replaced, so that
 * it can never be captured and fed back into the log it came from.
 */
public final class StdStreams {
  private static volatile PrintStream err;

  private StdStreams() {}

  /** Called once, by whatever replaces {@code System.out} and {@code System.err}, with the streams it replaces. */
  public static void saveOriginals(PrintStream out, PrintStream err) {
    StdStreams.err = err;
  }

  /** The real stderr. */
  public static PrintStream err() {
    PrintStream e = err;
    return e != null ? e : System.err;
  }
}
