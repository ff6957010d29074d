package dev.shoal;

import java.time.Duration;

/**
 * How a batched function gathers single inputs into batches: a batch runs as soon as it holds
 * {@link #maxBatchSize()} inputs, or {@link #waitTime()} after its first input arrived, whichever comes first.
 * Inputs from every caller (and every {@code remote}, {@code map} and {@code spawn}) share batches. Immutable.
 *
 * <p>The wait counts towards each input's timeout, which runs from the moment a container takes the input.
 */
public final class Batching {
  private final int maxBatchSize;
  private final Duration waitTime;

  private Batching(int maxBatchSize, Duration waitTime) {
    this.maxBatchSize = maxBatchSize;
    this.waitTime = waitTime;
  }

  /**
   * Batches of at most {@code maxBatchSize} inputs that wait at most {@code wait} after their first input.
   *
   * @param maxBatchSize 1..1000
   * @param wait 0..10 min; zero runs a batch at once with whatever inputs the container already holds
   */
  public static Batching of(int maxBatchSize, Duration wait) {
    return new Batching(
        Checks.range("maxBatchSize", maxBatchSize, 1, 1000),
        Checks.range("wait", wait, Duration.ZERO, Duration.ofMinutes(10)));
  }

  /** The most inputs one batch holds. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** How long a batch waits for more inputs after its first one. */
  public Duration waitTime() {
    return waitTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Batching b && b.maxBatchSize == maxBatchSize && b.waitTime.equals(waitTime);
  }

  @Override
  public int hashCode() {
    return maxBatchSize * 31 + waitTime.hashCode();
  }

  @Override
  public String toString() {
    return "Batching{maxBatchSize=" + maxBatchSize + ", wait=" + Checks.format(waitTime) + "}";
  }
}
