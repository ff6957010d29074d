package dev.shoal.internal.backend.local;

import java.io.File;
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
 * Class-data caches for container JVMs, one per classpath. A container loads about 3,700 classes (gRPC, Netty,
 * protobuf, the codec, the runtime) before it can serve; from a cache the JVM maps them from one file instead of
 * reading, parsing and verifying each from its jar.
 *
 * <p>On JDK 24 and later the cache is an ahead-of-time cache (JEP 483; on JDK 25 it holds method profiles too, JEP
 * 515): the classes loaded and linked as well as parsed. On JDK 21 to 23 it is a dynamic class-data archive, which
 * holds the classes only.
 *
 * <p>The first container of a classpath records: a dynamic archive is written by its JVM as it exits (on {@code
 * halt} too) to a file of its own, which is moved into place in one step once the container has exited by itself.
 * An AOT cache takes two steps, as {@code -XX:AOTMode=record} and {@code create} make them: the container's JVM
 * writes only the configuration of what it loaded as it exits, which is as quick as a dynamic archive, and a JVM of
 * this backend's own then assembles the cache from it in the background (seconds of CPU) and publishes it, so that
 * a stopping app never waits for, nor kills, the assembly, and a caller that exits meanwhile still leaves a cache. JDK 25's one-step {@code -XX:AOTCacheOutput} would assemble inside the
 * exiting container, which an app's stop kills after 3 s. Every later container of the classpath starts from the
 * cache. A container killed while it records leaves only its own files, which are deleted.
 *
 * <p>Only classpaths made of jars get caches: the JVM refuses to write one when the classpath holds a non-empty
 * directory, such as a build's {@code target/classes}. A server's containers always qualify, as they run from
 * uploaded jars.
 *
 * <p>A cache is named by a hash of what it must match: the JVM, the flags it was written with, and each
 * classpath entry with its size and modification time, so that a rebuilt jar gets a new cache rather than one
 * the JVM would refuse. The JVM's own messages about caches are turned off: they would land in containers'
 * output, and a missing or refused cache only means a slower start.
 */
final class ClassDataArchives {
  /** How many caches the directory keeps; older ones are deleted when a new one is published. */
  static final int KEEP = 16;
  static final Use NONE = new Use(List.of(), false, exitCode -> {});
  private static final String RECORDING = ".recording";
  /**
   * A recording file older than this is left from a JVM that could not publish it (its control plane died
   * first, for one), and is deleted.
   */
  static final long STALE_RECORDING_MILLIS = 10 * 60_000;
  private static final String SHELL = "/bin/sh";
  /** The JVM's log tags about caches, all of them, turned off. */
  private static final List<String> QUIET = List.of("-Xlog:cds*=off", "-Xlog:aot*=off");

  /** How a JVM records and uses a cache. */
  enum Format {
    /** JDK 24 and later. Its flags may not be given with any {@code -Xshare} option. */
    AOT_CACHE(".aot"),
    /** JDK 21 to 23. */
    DYNAMIC_ARCHIVE(".jsa");

    final String suffix;

    Format(String suffix) {
      this.suffix = suffix;
    }

    /**
     * The format of a JVM of {@code feature} version ({@code Runtime.version().feature()}); an AOT cache needs a
     * POSIX shell to publish it too.
     */
    static Format forJdk(int feature) {
      return feature >= 24 && Files.isExecutable(Path.of(SHELL)) ? AOT_CACHE : DYNAMIC_ARCHIVE;
    }

    /** The flags of a JVM that starts from {@code cache}. */
    List<String> useFlags(Path cache) {
      return quiet(this == AOT_CACHE ? "-XX:AOTCache=" + cache : "-XX:SharedArchiveFile=" + cache);
    }

    /** The flags of a JVM that records into {@code recording} as it exits. */
    List<String> recordFlags(Path recording) {
      return this == AOT_CACHE ? quiet("-XX:AOTMode=record", "-XX:AOTConfiguration=" + recording)
          : quiet("-XX:ArchiveClassesAtExit=" + recording);
    }

    private static List<String> quiet(String... flags) {
      List<String> all = new ArrayList<>(QUIET);
      all.addAll(List.of(flags));
      return all;
    }
  }

  private final Path dir;
  private final Format format;
  private final Set<String> recording = ConcurrentHashMap.newKeySet();

  /** Caches in {@code dir} for container JVMs of this JVM's version, as the process backend starts them. */
  ClassDataArchives(Path dir) {
    this(dir, Format.forJdk(Runtime.version().feature()));
  }

  ClassDataArchives(Path dir, Format format) {
    this.dir = dir;
    this.format = format;
  }

  Format format() {
    return format;
  }

  /**
   * Where caches go: {@code SHOAL_CLASS_DATA_DIR} (or {@code -Dshoal.classDataDir}) or a directory under the
   * user's {@code ~/.shoal}; empty when that setting is {@code off}.
   */
  static Optional<Path> defaultDirectory() {
    String configured = System.getProperty("shoal.classDataDir", System.getenv("SHOAL_CLASS_DATA_DIR"));
    if (configured == null || configured.isBlank()) {
      return Optional.of(Path.of(System.getProperty("user.home"), ".shoal", "cache", "class-data"));
    }
    return configured.equals("off") ? Optional.empty() : Optional.of(Path.of(configured));
  }

  /** What a container JVM started with {@code flags} and {@code classpath} takes from the caches. */
  Use use(List<String> flags, List<String> classpath, String containerId) {
    Optional<String> key = key(flags, classpath);
    if (key.isEmpty()) {
      return NONE;
    }
    Path cache = dir.resolve(key.get() + format.suffix);
    if (Files.isRegularFile(cache)) {
      return new Use(format.useFlags(cache), false, exitCode -> {});
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
    return new Use(format.recordFlags(own), true, exitCode -> {
      // The JVM writes the recording as it exits by itself, whatever its code (a container whose stream ended
      // abruptly exits with 2); one ended by a signal (128 and above) may have left half a file.
      boolean recorded = exitCode >= 0 && exitCode < 128 && nonEmpty(own);
      if (recorded && format == Format.AOT_CACHE) {
        assemble(flags, classpath, own, cache, () -> recording.remove(key.get()));
        return;
      }
      try {
        if (recorded) {
          publish(own, cache);
        }
      } finally {
        deleteQuietly(own);
        recording.remove(key.get());
      }
    });
  }

  /**
   * Assembles the AOT cache from a container's recorded configuration in a JVM of its own, which publishes it if
   * it succeeds, and runs {@code done} once it has ended. The JVM runs with the container's flags and classpath,
   * which the cache must match. A shell around it moves the cache into place and deletes the recording, so that the
   * cache is published even when the caller's JVM has exited meanwhile, as a short job's does right after its run.
   */
  private void assemble(List<String> flags, List<String> classpath, Path configuration, Path cache, Runnable done) {
    Path assembled = Path.of(configuration + format.suffix);
    List<String> command = new ArrayList<>(List.of(SHELL, "-c",
        "\"$@\" && mv -f \"$SHOAL_ASSEMBLED\" \"$SHOAL_CACHE\"; rm -f \"$SHOAL_ASSEMBLED\" \"$SHOAL_RECORDING\"",
        "shoal-aot-assembly"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.addAll(QUIET);
    command.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration,
        "-XX:AOTCache=" + assembled, "-cp", String.join(File.pathSeparator, classpath)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("SHOAL_ASSEMBLED", assembled.toString());
    builder.environment().put("SHOAL_CACHE", cache.toString());
    builder.environment().put("SHOAL_RECORDING", configuration.toString());
    try {
      builder.start().onExit().thenRun(() -> {
        prune();
        done.run();
      });
    } catch (IOException e) {
      deleteQuietly(configuration);
      done.run(); // No cache this time; a later container records again.
    }
  }

  /**
   * What a container's start takes from the caches.
   *
   * @param flags JVM flags to add to its command line
   * @param records whether the container records as it exits, which takes it a moment
   * @param onExit to call with the container's exit code once it has exited, or -1 if it never started
   */
  record Use(List<String> flags, boolean records, IntConsumer onExit) {}

  private void publish(Path file, Path cache) {
    try {
      Files.move(file, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      prune();
    } catch (IOException e) {
      // No cache this time; a later container records one.
    }
  }

  private static boolean nonEmpty(Path file) {
    try {
      return Files.isRegularFile(file) && Files.size(file) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Keeps the {@link #KEEP} newest caches. */
  private void prune() {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> archives = files.filter(p -> p.getFileName().toString().endsWith(format.suffix)
              && !p.getFileName().toString().contains(RECORDING))
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
      // contains, not endsWith: the cache assembled from an AOT recording is named after the recording.
      files.filter(p -> p.getFileName().toString().contains(RECORDING) && modified(p) < before)
          .forEach(ClassDataArchives::deleteQuietly);
    } catch (IOException e) {
      // Deleted next time.
    }
  }

  /** When a file was last written, in epoch millis; 0 when that cannot be read (it sorts first, as the oldest). */
  static long modified(Path p) {
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
