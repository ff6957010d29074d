package dev.shoal.internal.client.volume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Volume file contents already fetched on this machine, by content hash, shared by every container here: a file
 * that several containers mount is downloaded once. Entries are immutable (the name is the content's hash), so
 * concurrent writers of one entry write the same bytes, and each writes a temporary file and renames it.
 */
final class BlobCache {
  private final Path dir;

  BlobCache(Path dir) {
    this.dir = dir;
  }

  static BlobCache machineWide() {
    return new BlobCache(Path.of(System.getProperty("java.io.tmpdir"), "shoal-volume-cache"));
  }

  Optional<Path> find(String hash) {
    Path file = dir.resolve(hash);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  Path put(String hash, byte[] data) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(hash);
      Path temp = Files.createTempFile(dir, ".part-", "");
      try {
        Files.write(temp, data);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cache volume content in " + dir, e);
    }
  }
}
