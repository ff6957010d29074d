package dev.shoal.codectest.shaded.commons;

/**
 * A library class that a shading plugin relocated under the app's own package tree: not the app's own, though its
 * name is under the app's parent package and it sits in the app's jar.
 */
public final class RelocatedGadget {
  public static final String INITIALISED_PROPERTY = "shoal.codec.test.relocatedGadgetInitialised";

  static {
    System.setProperty(INITIALISED_PROPERTY, "true");
  }

  private int payload;

  public int payload() {
    return payload;
  }
}
