package dev.shoal.reliability;

import java.time.Duration;

/**
 * How many kills a chaos test has made, which the thread taking a map's results waits on, so that the map cannot
 * run ahead of the kills.
 */
final class KillCount {
  private int kills;

  synchronized void increment() {
    kills++;
    notifyAll();
  }

  synchronized int get() {
    return kills;
  }

  /** Waits until at least {@code n} kills were made; fails when {@code atMost} passes first. */
  synchronized void awaitAtLeast(long n, Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    try {
      while (kills < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("waited " + atMost + " for kill " + n + ", and " + kills + " were made");
        }
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for kill " + n, e);
    }
  }
}
