package dev.shoal.internal.codec;

/**
 * A class outside the app's package whose static initialiser records that it ran, so tests can
 * check that a refused class is never initialised.
 */
public final class PolicyGadget {
  static final String INITIALISED_PROPERTY = "shoal.codec.test.gadgetInitialised";

  static {
    System.setProperty(INITIALISED_PROPERTY, "true");
  }

  private int payload;

  public int payload() {
    return payload;
  }
}
