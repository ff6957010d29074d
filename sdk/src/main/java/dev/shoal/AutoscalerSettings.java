package dev.shoal;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * New scaling settings for a running or deployed function ({@link RemoteFunction#updateAutoscaler}); a setting
 * left unset keeps its value. Bounds as in {@link FunctionOptions}.
 */
public final class AutoscalerSettings {
  private final Integer minContainers;
  private final Integer maxContainers;
  private final Integer bufferContainers;
  private final Duration scaledownWindow;

  private AutoscalerSettings(Builder b) {
    this.minContainers = b.minContainers;
    this.maxContainers = b.maxContainers;
    this.bufferContainers = b.bufferContainers;
    this.scaledownWindow = b.scaledownWindow;
  }

  public static Builder builder() {
    return new Builder();
  }

  public OptionalInt minContainers() {
    return minContainers == null ? OptionalInt.empty() : OptionalInt.of(minContainers);
  }

  /** 0 when the update removes the cap. */
  public OptionalInt maxContainers() {
    return maxContainers == null ? OptionalInt.empty() : OptionalInt.of(maxContainers);
  }

  public OptionalInt bufferContainers() {
    return bufferContainers == null ? OptionalInt.empty() : OptionalInt.of(bufferContainers);
  }

  public Optional<Duration> scaledownWindow() {
    return Optional.ofNullable(scaledownWindow);
  }

  /** Builds {@link AutoscalerSettings}; each setter rejects a value that breaks its rule at once. */
  public static final class Builder {
    private Integer minContainers;
    private Integer maxContainers;
    private Integer bufferContainers;
    private Duration scaledownWindow;

    private Builder() {}

    /** Containers kept warm: 0..1,000. */
    public Builder minContainers(int minContainers) {
      this.minContainers = Checks.range("minContainers", minContainers, 0, 1_000);
      return this;
    }

    /** A hard cap on live containers: 1..10,000. */
    public Builder maxContainers(int maxContainers) {
      this.maxContainers = Checks.range("maxContainers", maxContainers, 1, 10_000);
      return this;
    }

    /** Removes the function's cap on live containers. */
    public Builder noMaxContainers() {
      this.maxContainers = 0;
      return this;
    }

    /** Idle extra containers kept while the function has work: 0..1,000. */
    public Builder bufferContainers(int bufferContainers) {
      this.bufferContainers = Checks.range("bufferContainers", bufferContainers, 0, 1_000);
      return this;
    }

    /** How long a container may stay idle before it stops: 1 s..20 min. */
    public Builder scaledownWindow(Duration scaledownWindow) {
      this.scaledownWindow =
          Checks.range("scaledownWindow", scaledownWindow, Duration.ofSeconds(1), Duration.ofMinutes(20));
      return this;
    }

    public AutoscalerSettings build() {
      if (minContainers != null && maxContainers != null && maxContainers != 0 && maxContainers < minContainers) {
        throw new InvalidOptionException(
            "maxContainers must be >= minContainers, was " + maxContainers + " < " + minContainers);
      }
      return new AutoscalerSettings(this);
    }
  }
}
