package dev.shoal.internal.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Operations on whole directory trees, shared by the SDK, the CLI and the benchmarks. */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code root} and everything under it, deepest first; a missing root is nothing to do. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
