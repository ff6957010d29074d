package dev.shoal.internal.backend.local;

import dev.shoal.internal.client.ArtifactUploader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A container's classpath with each directory packed into a jar at the same position, so that the JVM accepts a
 * class-data cache for it (it refuses to write one for a classpath holding a non-empty directory, such as a
 * build's {@code target/classes}). The order of the entries is kept, so a class or resource resolves to the same
 * file as before; only its URL changes, from {@code file:} to {@code jar:file:}.
 *
 * <p>A packed jar is named by the hash of its bytes, which depend on its content only, written once and never
 * rewritten, so that its size and time, which a cache's name covers, stay the same for as long as the
 * directory's content does. A directory is read again only when a file in it has changed size or time since this
 * backend last packed it; checking that costs a walk of the directory's files per container start.
 */
final class PackedClasspath {
  /** How many packed jars the directory keeps; older ones are deleted when a new one is written. */
  static final int KEEP = 64;
  private static final String SUFFIX = ".jar";

  private final Path dir;
  /** For each directory packed: the sizes and times of its files then, and its jar. */
  private final Map<Path, Packed> packed = new ConcurrentHashMap<>();

  private record Packed(Map<String, String> files, Path jar) {}

  PackedClasspath(Path dir) {
    this.dir = dir;
  }

  /**
   * {@code classpath} with each non-empty directory replaced by its packed jar; a directory that cannot be read
   * or packed stays as it is (its container then starts without a cache).
   */
  List<String> pack(List<String> classpath) {
    List<String> result = new ArrayList<>(classpath.size());
    for (String entry : classpath) {
      Path path = Path.of(entry);
      if (!Files.isDirectory(path)) {
        result.add(entry);
        continue;
      }
      try {
        result.add(jarOf(path.toAbsolutePath().normalize()).map(Path::toString).orElse(entry));
      } catch (IOException | RuntimeException e) {
        result.add(entry);
      }
    }
    return result;
  }

  /** The packed jar of {@code directory}, empty when it holds no file. */
  private Optional<Path> jarOf(Path directory) throws IOException {
    Map<String, String> files = files(directory);
    if (files.isEmpty()) {
      return Optional.empty();
    }
    Packed before = packed.get(directory);
    if (before != null && before.files().equals(files) && Files.isRegularFile(before.jar())) {
      return Optional.of(before.jar());
    }
    Optional<Path> jar = write(directory);
    jar.ifPresent(j -> packed.put(directory, new Packed(files, j)));
    return jar;
  }

  /** Each regular file under {@code directory}, by relative path with {@code /}, with its size and time. */
  private static Map<String, String> files(Path directory) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path file : (Iterable<Path>) walk::iterator) {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (attributes.isRegularFile()) {
          files.put(directory.relativize(file).toString().replace(File.separatorChar, '/'),
              attributes.size() + "@" + attributes.lastModifiedTime().toMillis());
        }
      }
    }
    return files;
  }

  /**
   * Writes the jar of {@code directory}, unless one of the same content exists, and returns it; empty when a file
   * would be left out (a symbolic link out of the directory), which the directory itself would serve. The jar is
   * packed as a client packs a class directory to upload it, so the same content makes the same bytes.
   */
  private Optional<Path> write(Path directory) throws IOException {
    List<String> skipped = new ArrayList<>();
    byte[] bytes = ArtifactUploader.pack(directory, skipped::add);
    if (!skipped.isEmpty()) {
      return Optional.empty();
    }
    Files.createDirectories(dir);
    Path jar = dir.resolve(HexFormat.of().formatHex(sha256().digest(bytes), 0, 16) + SUFFIX);
    if (Files.isRegularFile(jar)) {
      return Optional.of(jar);
    }
    Path temporary = Files.createTempFile(dir, "packing-", ".tmp");
    try {
      Files.write(temporary, bytes);
      Files.move(temporary, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      prune();
      return Optional.of(jar);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Keeps the {@link #KEEP} newest packed jars. */
  private void prune() {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .sorted(Comparator.comparingLong(ClassDataArchives::modified).reversed())
          .toList();
      for (Path old : jars.subList(Math.min(KEEP, jars.size()), jars.size())) {
        Files.deleteIfExists(old);
      }
    } catch (IOException e) {
      // Pruned next time.
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
