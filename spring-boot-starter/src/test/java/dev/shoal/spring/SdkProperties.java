package dev.shoal.spring;

/** The system properties through which the starter configures the SDK, cleared between tests. */
final class SdkProperties {
  private SdkProperties() {}

  static void clear() {
    System.clearProperty("shoal.server");
    System.clearProperty("shoal.token");
    System.clearProperty("shoal.environment");
  }
}
