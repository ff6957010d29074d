package dev.shoal.internal.controlplane;

/**
 * What runs the control plane's timers: its tick (timeouts, heartbeat and start-up deadlines, scaling, retention
 * sweeps), retries' backoff and the waits of callers. The control plane reads the time from its {@link
 * java.time.Clock} and waits through this, so that a test that fakes both runs every timer without sleeping.
 */
public interface Scheduler extends AutoCloseable {
  /** Runs {@code task} once, {@code delayMillis} from now. */
  Task schedule(long delayMillis, Runnable task);

  /** Runs {@code task} every {@code periodMillis}, the first time one period from now, each run after the last ends. */
  Task scheduleEvery(long periodMillis, Runnable task);

  /** Runs nothing more; tasks due later are dropped. */
  @Override
  void close();

  /** A scheduler on one daemon thread of its own, named {@code threadName}, over the real time. */
  static Scheduler onThread(String threadName) {
    return new ExecutorScheduler(threadName);
  }

  /** A task that was scheduled. */
  interface Task {
    /** Keeps the task from running if it has not started yet, and from running again if it repeats. */
    void cancel();
  }
}
