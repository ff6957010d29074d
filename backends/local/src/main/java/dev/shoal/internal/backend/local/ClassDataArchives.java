package dev.shoal.internal.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Class-data-sharing archives for container JVMs, one per classpath. A container loads about 3,000 classes (gRPC,
 * Netty, protobuf, the codec, the runtime) before it can serve; from an archive the JVM maps them from one file
 * instead of reading, parsing and verifying each from its jar.
 *
 * <p>The first container of a classpath records the archive: its JVM writes the classes it loaded when it exits
 * (a dynamic archive, {@code -XX:ArchiveClassesAtExit}, which the JVM writes on {@code halt} too) to a file of its
 * own. Once it has exited cleanly that file is moved into place in one step, and every later container of the
 * classpath starts from it. A container killed while it writes leaves only its own file, which is deleted.
 *
 * <p>Only classpaths made of jars get archives: the JVM refuses to write one when the classpath holds a non-empty
 * directory, such as a build's {@code target/classes}. A server's containers always qualify, as they run from
 * uploaded jars.
 *
 * <p>An archive is named by a hash of what it must match: the JVM, the flags it was written with, and each
 * classpath entry with its size and modification time, so that a rebuilt jar gets a new archive rather than one
 * the JVM would refuse. The JVM's own messages about archives are turned off: they would land in containers'
 * output, and a missing or refused archive only means a slower start.
 */
final class ClassDataArchives {
  /** How many archives the directory keeps; older ones are deleted when a new one is published. */
  static final int KEEP = 16;
  static final Use NONE = new Use(List.of(), false, exitCode -> {});
  private static final String SUFFIX = ".jsa";
  private static final String RECORDING = ".recording";
  /**
   * A recording file older than this is left from a JVM that could not publish it (its control plane died
   * first, for one), and is deleted.
   */
  static final long STALE_RECORDING_MILLIS = 10 * 60_000;
  private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

  private final Path dir;
  private final Set<String> recording = ConcurrentHashMap.newKeySet();

  ClassDataArchives(Path dir) {
    this.dir = dir;
  }

  /**
   * Where archives go: {@code SHOAL_CLASS_DATA_DIR} (or {@code -Dshoal.classDataDir}) or a directory under the
   * user's {@code ~/.shoal}; empty when that setting is {@code off}.
   */
  static Optional<Path> defaultDirectory() {
    String configured = System.getProperty("shoal.classDataDir", System.getenv("SHOAL_CLASS_DATA_DIR"));
    if (configured == null || configured.isBlank()) {
      return Optional.of(Path.of(System.getProperty("user.home"), ".shoal", "cache", "class-data"));
    }
    return configured.equals("off") ? Optional.empty() : Optional.of(Path.of(configured));
  }

  /** What a container JVM started with {@code flags} and {@code classpath} takes from the archives. */
  Use use(List<String> flags, List<String> classpath, String containerId) {
    Optional<String> key = key(flags, classpath);
    if (key.isEmpty()) {
      return NONE;
    }
    Path archive = dir.resolve(key.get() + SUFFIX);
    if (Files.isRegularFile(archive)) {
      List<String> extra = new ArrayList<>(QUIET);
      extra.add("-XX:SharedArchiveFile=" + archive);
      return new Use(extra, false, exitCode -> {});
    }
    if (!recording.add(key.get())) {
      return NONE; // Another container of this classpath is recording it.
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      recording.remove(key.get());
      return NONE;
    }
    deleteStaleRecordings();
    Path own = dir.resolve(key.get() + "." + containerId + RECORDING);
    List<String> extra = new ArrayList<>(QUIET);
    extra.add("-XX:ArchiveClassesAtExit=" + own);
    return new Use(extra, true, exitCode -> {
      try {
        if (exitCode == 0 && Files.isRegularFile(own) && Files.size(own) > 0) {
          Files.move(own, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          prune();
        }
      } catch (IOException e) {
        // No archive this time; a later container records one.
      } finally {
        deleteQuietly(own);
        recording.remove(key.get());
      }
    });
  }

  /**
   * What a container's start takes from the archives.
   *
   * @param flags JVM flags to add to its command line
   * @param records whether the container records an archive as it exits, which takes it a moment
   * @param onExit to call with the container's exit code once it has exited, or -1 if it never started
   */
  record Use(List<String> flags, boolean records, IntConsumer onExit) {}

  /** Keeps the {@link #KEEP} newest archives. */
  private void prune() {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> archives = files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .sorted(Comparator.comparingLong(ClassDataArchives::modified).reversed())
          .toList();
      for (Path old : archives.subList(Math.min(KEEP, archives.size()), archives.size())) {
        deleteQuietly(old);
      }
    } catch (IOException e) {
      // Pruned next time.
    }
  }

  private void deleteStaleRecordings() {
    long before = System.currentTimeMillis() - STALE_RECORDING_MILLIS;
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().endsWith(RECORDING) && modified(p) < before)
          .forEach(ClassDataArchives::deleteQuietly);
    } catch (IOException e) {
      // Deleted next time.
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // A leftover file in a cache directory is harmless.
    }
  }

  /** The archive's name for this JVM, flags and classpath; empty when the classpath holds anything but jars. */
  static Optional<String> key(List<String> flags, List<String> classpath) {
    List<String> parts = new ArrayList<>();
    parts.add(System.getProperty("java.home"));
    parts.add(Runtime.version().toString());
    parts.addAll(flags);
    for (String entry : classpath) {
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(Path.of(entry), BasicFileAttributes.class);
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
      if (!attributes.isRegularFile()) {
        return Optional.empty();
      }
      parts.add(entry);
      parts.add(attributes.size() + "@" + attributes.lastModifiedTime().toMillis());
    }
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
    for (String part : parts) {
      digest.update(part.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }
    return Optional.of(HexFormat.of().formatHex(digest.digest(), 0, 16));
  }
}
