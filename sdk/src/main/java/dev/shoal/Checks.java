package dev.shoal;

import java.time.Duration;

/** The validations that builders share, each failing with a message that names the rule and the value. */
final class Checks {
  private Checks() {}

  static int range(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidOptionException(name + " must be " + min + ".." + max + ", was " + value);
    }
    return value;
  }

  static double range(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new InvalidOptionException(name + " must be " + min + ".." + max + ", was " + value);
    }
    return value;
  }

  static Duration range(String name, Duration value, Duration min, Duration max) {
    notNull(name, value);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new InvalidOptionException(
          name + " must be " + format(min) + ".." + format(max) + ", was " + format(value));
    }
    return value;
  }

  static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new InvalidOptionException(name + " must not be null");
    }
    return value;
  }

  static String format(Duration d) {
    if (d.isZero()) {
      return "0 s";
    }
    if (d.toMillis() % 3_600_000 == 0) {
      return d.toHours() + " h";
    }
    if (d.toMillis() % 60_000 == 0) {
      return d.toMinutes() + " min";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + " s";
    }
    return d.toMillis() + " ms";
  }
}
