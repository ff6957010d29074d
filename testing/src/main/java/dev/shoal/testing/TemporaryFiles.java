package dev.shoal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directories a test engine makes for itself and deletes when it closes. */
final class TemporaryFiles {
  private TemporaryFiles() {}

  /** A new directory under the system's temporary directory, deleted when the JVM exits if not before. */
  static Path directory(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "shoal-test-cleanup"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary directory for the test engine", e);
    }
  }

  /** Deletes {@code dir} and all it holds; what cannot be deleted stays, as it is only temporary. */
  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Left for the system's cleaning of its temporary directory.
    }
  }
}
