package dev.shoal.internal.controlplane;

/**
 * How long one function's containers may take to become ready, adapted to how long they have been taking.
 * Guarded by its pool's lock.
 *
 * <p>The configured {@code startupTimeout} is a floor, not the deadline: on a busy machine a JVM that loads its
 * app in 2 s when the machine is idle can take 20 s, and a deadline that kills it then only starts another that
 * is as slow, and kills that one too (one run restarted containers 198 times in 330 s that way). So:
 *
 * <ul>
 *   <li>A container's deadline starts from its <em>base</em>: the configured start-up timeout, or {@link #MARGIN}
 *       times the slowest of the last {@link #MEASURED} start-up times of the function's containers if that is
 *       longer, so that a machine that got slower moves the deadline with it.
 *   <li>Once a deadline expired, a container that starts afterwards gets at least twice that deadline, until a
 *       container becomes ready: the first containers of a function on a loaded machine have no start-up time
 *       to go by.
 *   <li>A container whose deadline expires while other containers of the same backend are starting is not
 *       killed: JVMs that start together compete for the machine, and killing one throws its start away only
 *       to begin another as slow. Its deadline is {@link #stretched} to twice what it was instead, up to the
 *       {@link #ceilingMillis ceiling}; past that it is killed like any other, so that an app that hangs as it
 *       loads still fails its inputs.
 * </ul>
 *
 * <p>The ceiling is {@link #MAX_STRETCH} times the base or the base plus {@link #LOAD_ALLOWANCE_MILLIS},
 * whichever is longer: a few minutes is what a JVM may take on a machine overloaded many times over, and with
 * the default start-up timeout of 60 s, a function whose app hangs in several containers at once fails its
 * inputs after 8 minutes rather than never.
 */
final class StartupDeadlines {
  /** How many recent start-up times the deadline follows. */
  static final int MEASURED = 8;
  /** How many times the slowest recent start-up a container may take. */
  static final int MARGIN = 3;
  /** The most a base deadline is stretched on a busy machine, unless {@link #LOAD_ALLOWANCE_MILLIS} is longer. */
  static final int MAX_STRETCH = 8;
  /** What a deadline may be stretched by on a busy machine, whatever its base. */
  static final long LOAD_ALLOWANCE_MILLIS = 300_000;

  private final long configuredMillis;
  private final long[] recent = new long[MEASURED];
  private int measured;
  private int next;
  /** Twice the longest deadline that expired since a container was last ready; 0 when none did. */
  private long afterExpiryMillis;

  StartupDeadlines(long configuredMillis) {
    this.configuredMillis = configuredMillis;
  }

  /** How long a container that starts now may take to become ready. */
  long nextMillis() {
    return Math.min(ceilingMillis(), Math.max(baseMillis(), afterExpiryMillis));
  }

  /** The longest any deadline becomes: see the class comment. */
  long ceilingMillis() {
    long base = baseMillis();
    return Math.max(base * MAX_STRETCH, base + LOAD_ALLOWANCE_MILLIS);
  }

  /** The deadline, twice {@code deadlineMillis} up to the ceiling, of a container that starts on a busy machine. */
  long stretched(long deadlineMillis) {
    return Math.min(ceilingMillis(), 2 * deadlineMillis);
  }

  /** A container became ready {@code tookMillis} after it was started. */
  void ready(long tookMillis) {
    recent[next] = tookMillis;
    next = (next + 1) % MEASURED;
    measured = Math.min(measured + 1, MEASURED);
    afterExpiryMillis = 0;
  }

  /** A container was not ready by its deadline of {@code deadlineMillis}: later ones get at least twice as long. */
  void expired(long deadlineMillis) {
    afterExpiryMillis = Math.max(afterExpiryMillis, 2 * deadlineMillis);
  }

  private long baseMillis() {
    long slowest = 0;
    for (int i = 0; i < measured; i++) {
      slowest = Math.max(slowest, recent[i]);
    }
    return Math.max(configuredMillis, MARGIN * slowest);
  }
}
