package dev.shoal.codeclib;

/**
 * A class of a library bundled in an app's fat jar, whose static initialiser and hashCode record that they ran: a
 * gadget in the sense of deserialisation attacks, which must never be initialised or called by decoding.
 */
public final class LibraryGadget {
  public static final String INITIALISED_PROPERTY = "shoal.codec.test.libraryGadgetInitialised";
  public static final String HASHED_PROPERTY = "shoal.codec.test.libraryGadgetHashed";

  static {
    System.setProperty(INITIALISED_PROPERTY, "true");
  }

  private String command = "touch /tmp/pwned";

  @Override
  public int hashCode() {
    System.setProperty(HASHED_PROPERTY, command);
    return 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LibraryGadget;
  }
}
