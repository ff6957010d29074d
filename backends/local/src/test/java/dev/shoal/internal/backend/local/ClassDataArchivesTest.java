package dev.shoal.internal.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchivesTest {
  private static final List<String> FLAGS = List.of("-XX:+UseSerialGC");

  @TempDir
  Path dir;
  private Path jar;
  private ClassDataArchives archives;

  @BeforeEach
  void setUp() throws IOException {
    jar = helloJar(dir.resolve("hello"));
    archives = new ClassDataArchives(dir.resolve("archives"), ClassDataArchives.Format.DYNAMIC_ARCHIVE);
  }


  @Test
  void aClasspathWithADirectoryGetsNoArchiveAsTheJvmWouldRefuseToWriteOne() throws IOException {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Files.writeString(classes.resolve("A.class"), "x");

    ClassDataArchives.Use use = archives.use(FLAGS, List.of(jar.toString(), classes.toString()), "ct-1");

    assertThat(use.flags()).isEmpty();
    assertThat(use.records()).isFalse();
  }

  @Test
  void aRebuiltJarOrOtherFlagsNameAnotherArchive() throws IOException {
    String before = ClassDataArchives.key(FLAGS, List.of(jar.toString())).orElseThrow();
    assertThat(ClassDataArchives.key(List.of("-XX:+UseParallelGC"), List.of(jar.toString())).orElseThrow())
        .isNotEqualTo(before);

    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));

    assertThat(ClassDataArchives.key(FLAGS, List.of(jar.toString())).orElseThrow()).isNotEqualTo(before);
  }

  @Test
  void theFirstContainerRecordsAndLaterOnesStartFromTheArchiveItWrote() throws Exception {
    recordAndStartFrom(archives, "-XX:SharedArchiveFile=", "-Xshare:on");
  }

  @Test
  void onJdk24AndLaterTheCacheIsAnAheadOfTimeCacheAssembledAfterTheContainerExits() throws Exception {
    assumeThat(Runtime.version().feature()).as("AOT caches need JDK 24").isGreaterThanOrEqualTo(24);
    ClassDataArchives aot = new ClassDataArchives(dir.resolve("archives"));
    assertThat(aot.format()).isEqualTo(ClassDataArchives.Format.AOT_CACHE);
    // -XX:AOTMode=on makes a JVM that cannot map the cache fail rather than start without it.
    recordAndStartFrom(aot, "-XX:AOTCache=", "-XX:AOTMode=on");
  }

  @Test
  void beforeJdk24TheCacheIsADynamicArchive() {
    assertThat(ClassDataArchives.Format.forJdk(21)).isEqualTo(ClassDataArchives.Format.DYNAMIC_ARCHIVE);
    assertThat(ClassDataArchives.Format.forJdk(23)).isEqualTo(ClassDataArchives.Format.DYNAMIC_ARCHIVE);
    assertThat(ClassDataArchives.Format.DYNAMIC_ARCHIVE.recordFlags(Path.of("x")))
        .contains("-XX:ArchiveClassesAtExit=x");
  }

  /**
   * The first container of a classpath records; the next one starts from the cache (required by {@code
   * requireFlag}), and says nothing of it; only the cache is left in the directory.
   */
  private void recordAndStartFrom(ClassDataArchives archives, String useFlag, String requireFlag) throws Exception {
    List<String> classpath = List.of(jar.toString());
    ClassDataArchives.Use first = archives.use(FLAGS, classpath, "ct-1");
    assertThat(first.records()).isTrue();
    // While the first records, a second container of the classpath neither records nor waits.
    assertThat(archives.use(FLAGS, classpath, "ct-2").flags()).isEmpty();

    Run recorded = java(first.flags(), classpath);
    first.onExit().accept(recorded.exitCode());
    // A JVM recording an AOT configuration says so as it exits, whatever -Xlog says; only the recording
    // container's log file, once it has exited, holds that line.
    assertThat(recorded.output()).startsWith("hello");

    // An AOT cache is assembled in the background once the container has exited.
    await().atMost(Duration.ofSeconds(60))
        .until(() -> archives.use(FLAGS, classpath, "ct-3").flags().stream().anyMatch(f -> f.startsWith(useFlag)));
    ClassDataArchives.Use later = archives.use(FLAGS, classpath, "ct-3");
    assertThat(later.records()).isFalse();
    List<String> required = new ArrayList<>(later.flags());
    required.add(requireFlag);
    Run fromArchive = java(required, classpath);
    assertThat(fromArchive.exitCode()).as(fromArchive.output()).isZero();
    assertThat(fromArchive.output()).as("the JVM says nothing of the cache").isEqualTo("hello");
    try (var files = Files.list(dir.resolve("archives"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("only the cache is left: the recording files were moved into place or deleted")
          .singleElement().asString().endsWith(archives.format().suffix);
    }
  }

  @Test
  void aContainerThatEndsBadlyPublishesNothingAndTheNextOneRecordsAgain() throws IOException {
    List<String> classpath = List.of(jar.toString());
    ClassDataArchives.Use first = archives.use(FLAGS, classpath, "ct-1");
    String flag = first.flags().stream().filter(f -> f.startsWith("-XX:ArchiveClassesAtExit=")).findFirst()
        .orElseThrow();
    Path recording = Path.of(flag.substring(flag.indexOf('=') + 1));
    Files.writeString(recording, "half an archive"); // as a container killed while it wrote would leave

    first.onExit().accept(137);

    assertThat(recording).doesNotExist();
    try (var files = Files.list(dir.resolve("archives"))) {
      assertThat(files).isEmpty();
    }
    assertThat(archives.use(FLAGS, classpath, "ct-2").records()).isTrue();
  }

  @Test
  void recordingsLeftByJvmsThatCouldNotPublishThemAreDeletedOnceStale() throws IOException {
    Path archivesDir = Files.createDirectories(dir.resolve("archives"));
    Path stale = Files.writeString(archivesDir.resolve("0123.ct-old.recording"), "left behind");
    Files.setLastModifiedTime(stale, FileTime.fromMillis(
        System.currentTimeMillis() - ClassDataArchives.STALE_RECORDING_MILLIS - 60_000));
    Path fresh = Files.writeString(archivesDir.resolve("4567.ct-now.recording"), "being written");

    archives.use(FLAGS, List.of(jar.toString()), "ct-1");

    assertThat(stale).doesNotExist();
    assertThat(fresh).exists();
  }

  private record Run(int exitCode, String output) {}

  private static Run java(List<String> extraFlags, List<String> classpath) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(FLAGS);
    command.addAll(extraFlags);
    command.add("-cp");
    command.add(String.join(java.io.File.pathSeparator, classpath));
    command.add("Hello");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), output);
  }

  /** A jar holding one class, Hello, that prints "hello" and ends by halt, as a container does. */
  private static Path helloJar(Path workDir) throws IOException {
    Path source = Files.createDirectories(workDir).resolve("Hello.java");
    Files.writeString(source, """
        public class Hello {
          public static void main(String[] args) {
            System.out.println(new java.util.concurrent.ConcurrentSkipListMap<String, String>().isEmpty()
                ? "hello" : "?");
            System.out.flush();
            Runtime.getRuntime().halt(0);
          }
        }
        """);
    int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", workDir.toString(),
        source.toString());
    assertThat(compiled).isZero();
    Path jar = workDir.resolve("hello.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("Hello.class"));
      Files.copy(workDir.resolve("Hello.class"), out);
      out.closeEntry();
    }
    return jar;
  }
}
