package dev.shoal.codectest.jobs;

/**
 * Stands for the app class of an application packed as a fat jar, with its records in a sibling package and its
 * libraries (see {@code dev.shoal.codeclib}) in the same jar.
 */
public final class FatJarApp {
  private FatJarApp() {}
}
