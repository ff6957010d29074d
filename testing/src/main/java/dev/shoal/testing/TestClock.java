package dev.shoal.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * The time of a test's engine: the real time plus however far the test has moved it on. Left alone it runs as the
 * real clock does, so an engine on it behaves as usual; {@link #advance} jumps it forward, and every deadline the
 * engine measures by it (a retry's backoff, a function's timeout, a scale-down window, a result's retention) is
 * met at once instead of waited for.
 *
 * <p>Containers and the run's client prove they are alive on the real time (a heartbeat every 2 s) and the engine
 * takes one silent for 15 s on this clock for dead. So while a run should keep its containers, move the clock
 * less than 15 s at a time; a larger jump stops them, which is what a test of retention after the run wants.
 */
public final class TestClock extends Clock {
  private final Clock real;
  private final List<Runnable> onAdvance = new CopyOnWriteArrayList<>();
  private volatile Duration offset = Duration.ZERO;

  TestClock(Clock real) {
    this.real = real;
  }

  /**
   * Moves the time on by {@code amount}; whatever the engine scheduled for the new time or before runs now.
   *
   * @throws IllegalArgumentException if {@code amount} is negative: the engine's time never goes back
   */
  public void advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("the clock only moves forward; amount was " + amount);
    }
    synchronized (this) {
      offset = offset.plus(amount);
    }
    onAdvance.forEach(Runnable::run);
  }

  /** How far the test has moved this clock ahead of the real time. */
  public Duration offset() {
    return offset;
  }

  /** Runs {@code listener} after each {@link #advance}; the engine's scheduler uses this to wake up. */
  void onAdvance(Runnable listener) {
    onAdvance.add(listener);
  }

  @Override
  public Instant instant() {
    return real.instant().plus(offset);
  }

  @Override
  public long millis() {
    return real.millis() + offset.toMillis();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a test clock keeps UTC, as the engine does");
  }
}
