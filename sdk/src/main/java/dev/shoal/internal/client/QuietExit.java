package dev.shoal.internal.client;

import dev.shoal.ShoalException;

/**
 * The JVM's handler of uncaught exceptions while a Shoal run is open: a Shoal failure that reaches the top of a
 * thread while the JVM is exiting is the run being stopped by the exit ({@link RunExit} has said so in one line),
 * so it is not printed; everything else goes to the handler that was there before, or is printed as the JVM
 * would.
 *
 * <p>Whether the JVM is exiting is asked of the JVM itself at the moment of the failure (it refuses new shutdown
 * hooks once its exit has begun), not of a flag that a shutdown hook would set: the hooks run at the same time, so
 * the caller's thread may fail before any of them has run a line.
 */
final class QuietExit implements Thread.UncaughtExceptionHandler {
  private static boolean installed;

  private final Thread.UncaughtExceptionHandler previous;

  private QuietExit(Thread.UncaughtExceptionHandler previous) {
    this.previous = previous;
  }

  /** Installs the handler, once per JVM, in front of the one there is. */
  static synchronized void install() {
    if (!installed) {
      installed = true;
      Thread.setDefaultUncaughtExceptionHandler(new QuietExit(Thread.getDefaultUncaughtExceptionHandler()));
    }
  }

  @Override
  public void uncaughtException(Thread thread, Throwable e) {
    if (causedByShoal(e) && jvmExiting()) {
      return;
    }
    if (previous != null) {
      previous.uncaughtException(thread, e);
    } else {
      System.err.print("Exception in thread \"" + thread.getName() + "\" ");
      e.printStackTrace(System.err);
    }
  }

  private static boolean causedByShoal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ShoalException) {
        return true;
      }
    }
    return false;
  }

  static boolean jvmExiting() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
    } catch (IllegalStateException e) {
      return true;
    }
    Runtime.getRuntime().removeShutdownHook(probe);
    return false;
  }
}
