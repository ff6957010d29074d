package dev.shoal.internal.client;

/**
 * What becomes of an open ephemeral run when its JVM exits under it, as on Ctrl-C: the run is stopped (its
 * unfinished calls cancelled, its containers stopped) and one line says so, where a stack trace used to be.
 *
 * <p>The stack trace came from the caller's own thread: once the engine stops the run, the map or call it waits on
 * fails, and the exception reaches the top of {@code main} while the JVM is exiting. {@link QuietExit} keeps such a
 * failure from being printed; the line printed here says what happened instead. The JVM's exit status is the one its
 * exit chose (130 after Ctrl-C).
 */
final class RunExit {
  /**
   * How long the JVM's exit waits for the stop. A longer one (a server far away or gone) is left to the engine,
   * which stops a run it has not heard from for 15 s; an exit must not hang on it.
   */
  private static final long STOP_WAIT_MILLIS = 10_000;

  private RunExit() {}

  /**
   * Stops the run {@code appId} of {@code appName} with {@code stop}, printing one line, if the JVM exits while it
   * is open; the action returned is for a run that closes first, and forgets it.
   */
  static Runnable watch(String appName, String appId, Runnable stop) {
    QuietExit.install();
    // Through ExitHooks, so that the connection the stop travels on is closed only after it.
    return ExitHooks.add("shoal-run-exit-" + appId, () -> {
      OutputSink.lastLine("shoal: the JVM is exiting: cancelled run " + appId + " of app '" + appName
          + "', its unfinished calls and its containers");
      Thread stopping = Thread.ofPlatform().daemon().name("shoal-run-stop-" + appId).start(() -> {
        try {
          stop.run();
        } catch (RuntimeException e) {
          // The engine may be closing too (the embedded one has a hook of its own), which stops the run as well.
        }
      });
      try {
        stopping.join(STOP_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }
}
