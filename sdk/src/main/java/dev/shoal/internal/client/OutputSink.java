package dev.shoal.internal.client;

import java.util.function.Consumer;

/**
 * Where the caller's view of its runs goes: container output, lifecycle events and progress bars. By default
 * that is the real stderr; tests redirect it with {@link #capture} rather than scraping the JVM's stderr.
 *
 * <p>A progress bar is one line redrawn in place; a log line printed while a bar is shown first clears the bar,
 * and the bar is redrawn below it, so the two never garble each other.
 */
public final class OutputSink {
  private static volatile Consumer<String> capture;
  private static int followers;
  private static String bar;
  /** Set by {@link #lastLine}: the JVM is exiting, and bars still running are not drawn again. */
  private static boolean ended;

  private OutputSink() {}

  /** Prints one line for the caller. */
  public static synchronized void println(String line) {
    Consumer<String> c = capture;
    if (c != null) {
      c.accept(line);
      return;
    }
    if (bar != null) {
      StdStreams.err().print("\r\033[K");
    }
    StdStreams.err().println(line);
    if (bar != null) {
      StdStreams.err().print(bar);
      StdStreams.err().flush();
    }
  }

  /** Removes the progress bar, if one is drawn, and prints a line that no bar is drawn under again. */
  static synchronized void lastLine(String line) {
    if (bar != null) {
      bar(null);
    }
    ended = true;
    println(line);
  }

  /** Draws (or with null, removes) the progress bar line; only called when {@link #drawsProgress()}. */
  static synchronized void bar(String line) {
    if (capture != null || ended) {
      return;
    }
    StdStreams.err().print("\r\033[K");
    if (line != null) {
      StdStreams.err().print(line);
    }
    StdStreams.err().flush();
    bar = line;
  }

  /** Whether progress bars are drawn: output is on for a run, and stderr is a terminal. */
  static synchronized boolean drawsProgress() {
    return followers > 0 && capture == null && isTerminal();
  }

  /**
   * Whether this JVM runs on a terminal. From JDK 22 {@code System.console()} may return a console when the
   * streams are redirected, and {@code Console.isTerminal()} tells; on JDK 21, which lacks that method, a console
   * exists only on a terminal.
   */
  private static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  static synchronized void followerStarted() {
    followers++;
  }

  static synchronized void followerEnded() {
    followers--;
  }

  /**
   * Sends every line meant for the caller's terminal to {@code sink} instead, until the returned handle is
   * closed; for tests.
   */
  public static AutoCloseable capture(Consumer<String> sink) {
    capture = sink;
    return () -> {
      synchronized (OutputSink.class) {
        if (capture == sink) {
          capture = null;
        }
      }
    };
  }
}
