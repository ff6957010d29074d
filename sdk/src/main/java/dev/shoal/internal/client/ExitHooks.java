package dev.shoal.internal.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Shoal's work at the JVM's exit, in one shutdown hook: each action registered here (stopping an open run, closing
 * the embedded engine or a server, stopping a container) runs on a thread of its own, all at once as the JVM's own
 * hooks would, and when all have ended the network threads ({@link NetThreads}) end too. They must end last, since
 * the actions talk over them, and they must end, or the JVM waits for them after its hooks (see {@link NetThreads}).
 *
 * <p>What the other actions still use (the embedded PostgreSQL of a server, whose close writes to it) is stopped
 * by an action added with {@link #addLast}, which runs once the others have ended.
 *
 * <p>Like the JVM's hooks, an action cannot be added once the exit has begun.
 */
public final class ExitHooks {
  private static final List<Action> ACTIONS = new ArrayList<>();
  private static boolean installed;
  private static boolean exiting;

  private ExitHooks() {}

  /** @param last whether it runs after the other actions have ended rather than with them */
  record Action(String name, Runnable body, boolean last) {}

  /**
   * Runs {@code action}, on a thread named {@code name}, when the JVM exits; the action returned forgets it (for
   * what closed first), and does nothing once the exit has begun.
   *
   * @throws IllegalStateException if the JVM is exiting already
   */
  public static Runnable add(String name, Runnable action) {
    return add(new Action(name, action, false));
  }

  /**
   * Runs {@code action}, on a thread named {@code name}, when the JVM exits, once the actions added with
   * {@link #add} have ended: for what they use as they end; the action returned forgets it.
   *
   * @throws IllegalStateException if the JVM is exiting already
   */
  public static Runnable addLast(String name, Runnable action) {
    return add(new Action(name, action, true));
  }

  private static Runnable add(Action added) {
    synchronized (ExitHooks.class) {
      if (exiting) {
        throw new IllegalStateException("the JVM is exiting");
      }
      install();
      ACTIONS.add(added);
    }
    return () -> {
      synchronized (ExitHooks.class) {
        if (!exiting) {
          ACTIONS.remove(added);
        }
      }
    };
  }

  /** Registers the JVM hook, once; the network threads call this when they are first made. */
  static synchronized void install() {
    if (!installed) {
      Runtime.getRuntime().addShutdownHook(new Thread(ExitHooks::run, "shoal-exit"));
      installed = true;
    }
  }

  private static void run() {
    List<Action> actions;
    synchronized (ExitHooks.class) {
      exiting = true;
      actions = List.copyOf(ACTIONS);
    }
    runThenEndNetwork(actions);
  }

  /**
   * Runs {@code actions} at once, each on a thread of its own, those added last once the others have ended, then
   * ends the network threads.
   */
  static void runThenEndNetwork(List<Action> actions) {
    runAll(actions.stream().filter(a -> !a.last()).toList());
    runAll(actions.stream().filter(Action::last).toList());
    NetThreads.stop();
  }

  private static void runAll(List<Action> actions) {
    List<Thread> threads = new ArrayList<>(actions.size());
    for (Action action : actions) {
      threads.add(Thread.ofPlatform().name(action.name()).start(action.body()));
    }
    try {
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
