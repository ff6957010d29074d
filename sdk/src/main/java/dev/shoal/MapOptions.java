package dev.shoal;

/** How a map delivers its results: in input order or as completed, and how many inputs it keeps in flight. */
public final class MapOptions {
  static final int DEFAULT_MAX_IN_FLIGHT = 1000;
  private static final MapOptions DEFAULTS = new MapOptions(true, DEFAULT_MAX_IN_FLIGHT);
  private static final MapOptions UNORDERED = new MapOptions(false, DEFAULT_MAX_IN_FLIGHT);

  private final boolean ordered;
  private final int maxInFlight;

  private MapOptions(boolean ordered, int maxInFlight) {
    this.ordered = ordered;
    this.maxInFlight = maxInFlight;
  }

  /** Results in input order, at most 1,000 inputs in flight. */
  public static MapOptions defaults() {
    return DEFAULTS;
  }

  /** Results as they complete, at most 1,000 inputs in flight. */
  public static MapOptions unordered() {
    return UNORDERED;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().ordered(ordered).maxInFlight(maxInFlight);
  }

  public boolean ordered() {
    return ordered;
  }

  /**
   * The most inputs sent but not yet handed to the caller. It bounds the caller's memory: an ordered map whose
   * earliest input is slow stops sending rather than buffering later results without limit.
   */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** Builds {@link MapOptions}. */
  public static final class Builder {
    private boolean ordered = true;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

    private Builder() {}

    public Builder ordered(boolean ordered) {
      this.ordered = ordered;
      return this;
    }

    /** 1..100,000; the default is 1,000. */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = Checks.range("maxInFlight", maxInFlight, 1, 100_000);
      return this;
    }

    public MapOptions build() {
      return new MapOptions(ordered, maxInFlight);
    }
  }
}
