package dev.shoal.internal.controlplane;

/**
 * The start-up failures of one function's containers since one last became ready, and when the function may try
 * to start containers again. Guarded by its pool's lock.
 *
 * <p>A container fails to start when the app cannot load in it (it says {@code StartupFailed}, or exits by
 * itself with an error before it is ready); only such failures are counted here. {@link #ROUND} of them in a row
 * make a failed round: the pool then fails the inputs that wait for a container, with the last failure's reason,
 * and starts no container until a backoff has passed. The backoff doubles with each failed round in a row, from
 * {@link #FIRST_BACKOFF_MILLIS} up to {@link #MAX_BACKOFF_MILLIS}, so that a function whose code cannot load
 * costs a few container starts a minute rather than a loop of them. Nothing is broken for good: inputs submitted
 * later wait for the backoff and try again, so a dependency fixed meanwhile, or a fault that has passed, heals
 * the function; and one container that becomes ready forgets every failure.
 */
final class StartupBackoff {
  /** Start-up failures in a row that end a round of attempts. */
  static final int ROUND = 3;
  static final long FIRST_BACKOFF_MILLIS = 1_000;
  static final long MAX_BACKOFF_MILLIS = 30_000;

  private int failuresInRound;
  private int failedRounds;
  private long retryAtMillis = Long.MIN_VALUE;

  /**
   * Counts one start-up failure at {@code nowMillis}; returns whether it ends a round, in which case no container
   * may start before {@link #retryAtMillis}.
   */
  boolean failed(long nowMillis) {
    failuresInRound++;
    if (failuresInRound < ROUND) {
      return false;
    }
    failuresInRound = 0;
    failedRounds++;
    retryAtMillis = nowMillis + backoffMillis(failedRounds);
    return true;
  }

  /** A container became ready: the function's code loads, and every failure before is forgotten. */
  void succeeded() {
    failuresInRound = 0;
    failedRounds = 0;
    retryAtMillis = Long.MIN_VALUE;
  }

  /** Whether a container may start at {@code nowMillis}: not while a failed round's backoff lasts. */
  boolean mayStart(long nowMillis) {
    return nowMillis >= retryAtMillis;
  }

  /** When containers may start again after the last failed round. */
  long retryAtMillis() {
    return retryAtMillis;
  }

  /** The backoff after the {@code round}th failed round in a row: doubling from the first, capped. */
  static long backoffMillis(int round) {
    int doublings = Math.min(round - 1, 30);
    return Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << doublings);
  }
}
