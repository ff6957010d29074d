package dev.shoal.internal.buckets;

import java.util.ServiceLoader;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Keeps SLF4J quiet in a container whose app chose no logging. AWS's NIO provider logs through SLF4J; without a
 * binding on the class path, SLF4J prints a three-line warning to the container's stderr, which is the app's log,
 * the first time anything logs. An app with no binding has chosen no logging, so the container picks SLF4J's own
 * no-op provider, explicitly and without SLF4J's note that it did.
 */
final class QuietLogging {
  private QuietLogging() {}

  /** Chooses the no-op provider if the class path has none and no one chose one; before SLF4J first logs. */
  static void ifNoBinding() {
    if (System.getProperty("slf4j.provider") != null
        || ServiceLoader.load(SLF4JServiceProvider.class, QuietLogging.class.getClassLoader()).findFirst()
            .isPresent()) {
      return;
    }
    System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "WARN");
    }
  }
}
