package dev.shoal.internal.cli;

import java.util.Optional;

/**
 * Which override, if any, a configuration value comes from. Mirrors {@code ShoalConfig}'s order: the system
 * property ({@code shoal.server}) wins over the variable ({@code SHOAL_SERVER}), which wins over the file.
 */
final class ConfigSource {
  private ConfigSource() {}

  /** "SHOAL_SERVER" or "-Dshoal.server" when that overrides the file; empty when the file decides. */
  static Optional<String> override(String property, String variable) {
    if (isSet(System.getProperty(property))) {
      return Optional.of("-D" + property);
    }
    if (isSet(System.getenv(variable))) {
      return Optional.of(variable);
    }
    return Optional.empty();
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
