package dev.shoal.internal.codec;

/** A class outside the app's package that a test places in the app's code source. */
public final class PolicyNeighbour {
  private final String name;

  public PolicyNeighbour(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }
}
