package dev.shoal.internal.controlplane;

/**
 * Told of the work the control plane does, for metrics. Called outside every lock of the control plane, on the
 * thread that did the work, so an implementation must be quick and thread-safe.
 */
public interface ActivityListener {
  /** A container took an input: its first attempt, or a retry. */
  void attemptStarted(String appName, String function);

  /** A container answered an attempt after {@code millis}. */
  void attemptEnded(String appName, String function, long millis, boolean succeeded);

  /** An input has its one final result: {@code outcome} is succeeded, failed, cancelled or timed_out. */
  void inputFinished(String appName, String function, String outcome);
}
