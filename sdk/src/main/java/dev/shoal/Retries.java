package dev.shoal;

import java.time.Duration;

/**
 * How a function's failed attempts are retried. The delay before retry {@code k} (1 for the first retry) is
 * {@code min(maxDelay, initialDelay × backoffCoefficient^(k-1))}. A user exception or a timeout uses up a retry;
 * an input lost with its container does not.
 */
public final class Retries {
  static final Retries NONE = new Retries(0, 1.0, Duration.ofSeconds(1), Duration.ofSeconds(1));

  private final int maxRetries;
  private final double backoffCoefficient;
  private final Duration initialDelay;
  private final Duration maxDelay;

  private Retries(int maxRetries, double backoffCoefficient, Duration initialDelay, Duration maxDelay) {
    this.maxRetries = maxRetries;
    this.backoffCoefficient = backoffCoefficient;
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
  }

  /** {@code n} retries with a fixed one-second delay, as Modal's {@code retries=n}. */
  public static Retries fixed(int maxRetries) {
    return builder().maxRetries(maxRetries).backoffCoefficient(1.0).initialDelay(Duration.ofSeconds(1)).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .maxRetries(maxRetries)
        .backoffCoefficient(backoffCoefficient)
        .initialDelay(initialDelay)
        .maxDelay(maxDelay);
  }

  public int maxRetries() {
    return maxRetries;
  }

  public double backoffCoefficient() {
    return backoffCoefficient;
  }

  public Duration initialDelay() {
    return initialDelay;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  /** The delay before retry {@code k}, where 1 is the first retry. */
  public Duration delayBeforeRetry(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("retry number must be >= 1, was " + k);
    }
    double millis = initialDelay.toMillis() * Math.pow(backoffCoefficient, k - 1);
    return Duration.ofMillis((long) Math.min(maxDelay.toMillis(), millis));
  }

  @Override
  public String toString() {
    return "Retries{maxRetries=" + maxRetries + ", backoffCoefficient=" + backoffCoefficient
        + ", initialDelay=" + initialDelay + ", maxDelay=" + maxDelay + "}";
  }

  /** Builds {@link Retries}; each setter rejects a value outside its range at once. */
  public static final class Builder {
    private int maxRetries;
    private double backoffCoefficient = 2.0;
    private Duration initialDelay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofSeconds(60);

    private Builder() {}

    /** 0..10. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = Checks.range("maxRetries", maxRetries, 0, 10);
      return this;
    }

    /** 1..10; the default is 2. */
    public Builder backoffCoefficient(double backoffCoefficient) {
      this.backoffCoefficient = Checks.range("backoffCoefficient", backoffCoefficient, 1.0, 10.0);
      return this;
    }

    /** 0..60 s; the default is 1 s. */
    public Builder initialDelay(Duration initialDelay) {
      this.initialDelay = Checks.range("initialDelay", initialDelay, Duration.ZERO, Duration.ofSeconds(60));
      return this;
    }

    /** 1..60 s; the default is 60 s. */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = Checks.range("maxDelay", maxDelay, Duration.ofSeconds(1), Duration.ofSeconds(60));
      return this;
    }

    public Retries build() {
      return new Retries(maxRetries, backoffCoefficient, initialDelay, maxDelay);
    }
  }
}
