package dev.shoal.internal.controlplane;

/**
 * How long one function's containers may take to become ready, adapted to how long they have been taking.
 * Guarded by its pool's lock.
 *
 * <p>The configured {@code startupTimeout} is a floor, not the deadline: on a busy machine a JVM that loads its
 * app in 2 s when the machine is idle can take 20 s, and a deadline that kills it then only starts another that
 * is as slow, and kills that one too (one run restarted containers 198 times in 330 s that way). So a container's
 * deadline, fixed when it starts, is the largest of:
 *
 * <ul>
 *   <li>the configured start-up timeout;
 *   <li>{@link #MARGIN} times the slowest of the last {@link #MEASURED} start-up times of the function's
 *       containers, so that a machine that got slower moves the deadline with it;
 * </ul>
 *
 * <p>and it is doubled for each deadline that expired since a container last became ready, up to
 * {@link #MAX_DOUBLING} times, so that the first containers of a function on a loaded machine, which have no
 * start-up time to go by, are not killed again and again.
 *
 * <p>Whether a deadline kill counts against the function is the pool's to decide (see
 * {@code FunctionPool.tick}): it does not while other containers of the same backend are also starting, whose
 * competition for the machine is reason enough for a slow start.
 */
final class StartupDeadlines {
  /** How many recent start-up times the deadline follows. */
  static final int MEASURED = 8;
  /** How many times the slowest recent start-up a container may take. */
  static final int MARGIN = 3;
  /** The most a deadline is multiplied by after deadlines expired: 2^3. */
  static final int MAX_DOUBLING = 8;

  private final long configuredMillis;
  private final long[] recent = new long[MEASURED];
  private int measured;
  private int next;
  private int doubling = 1;

  StartupDeadlines(long configuredMillis) {
    this.configuredMillis = configuredMillis;
  }

  /** How long a container that starts now may take to become ready. */
  long nextMillis() {
    long slowest = 0;
    for (int i = 0; i < measured; i++) {
      slowest = Math.max(slowest, recent[i]);
    }
    return Math.max(configuredMillis, MARGIN * slowest) * doubling;
  }

  /** A container became ready {@code tookMillis} after it was started. */
  void ready(long tookMillis) {
    recent[next] = tookMillis;
    next = (next + 1) % MEASURED;
    measured = Math.min(measured + 1, MEASURED);
    doubling = 1;
  }

  /** A container's deadline expired before it was ready: the next containers get twice as long. */
  void expired() {
    doubling = Math.min(MAX_DOUBLING, doubling * 2);
  }
}
