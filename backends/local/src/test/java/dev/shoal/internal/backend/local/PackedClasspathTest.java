package dev.shoal.internal.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackedClasspathTest {
  @TempDir
  Path dir;
  private Path classes;
  private PackedClasspath packer;

  @BeforeEach
  void setUp() throws IOException {
    classes = Files.createDirectories(dir.resolve("classes"));
    Files.createDirectories(classes.resolve("a/b"));
    Files.writeString(classes.resolve("a/b/C.class"), "class bytes");
    Files.writeString(classes.resolve("app.properties"), "x=1");
    packer = new PackedClasspath(dir.resolve("packed"));
  }

  @Test
  void aDirectoryBecomesAJarOfItsFilesAtTheSamePositionAndOtherEntriesStay() throws IOException {
    Path jar = Files.writeString(dir.resolve("lib.jar"), "a jar");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    String missing = dir.resolve("missing").toString();

    List<String> packed = packer.pack(List.of(jar.toString(), classes.toString(), empty.toString(), missing));

    assertThat(packed).hasSize(4);
    assertThat(packed.get(0)).isEqualTo(jar.toString());
    assertThat(packed.get(1)).startsWith(dir.resolve("packed").toString()).endsWith(".jar");
    assertThat(packed.get(2)).as("an empty directory needs no jar").isEqualTo(empty.toString());
    assertThat(packed.get(3)).isEqualTo(missing);
    try (JarFile packedJar = new JarFile(packed.get(1))) {
      assertThat(new String(packedJar.getInputStream(packedJar.getEntry("a/b/C.class")).readAllBytes()))
          .isEqualTo("class bytes");
      assertThat(packedJar.getEntry("app.properties")).isNotNull();
    }
  }

  @Test
  void theSameContentKeepsItsJarUntouchedAndAChangedFileGetsANewOne() throws IOException {
    String first = packer.pack(List.of(classes.toString())).get(0);
    FileTime written = Files.getLastModifiedTime(Path.of(first));

    // A new backend (a new caller JVM) finds the same jar for the same content and leaves it as it was, so that a
    // class-data cache named after its size and time stays valid.
    String again = new PackedClasspath(dir.resolve("packed")).pack(List.of(classes.toString())).get(0);
    assertThat(again).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(Path.of(again))).isEqualTo(written);

    Files.writeString(classes.resolve("a/b/C.class"), "rebuilt class bytes");
    String rebuilt = packer.pack(List.of(classes.toString())).get(0);
    assertThat(rebuilt).isNotEqualTo(first);
    try (JarFile jar = new JarFile(rebuilt)) {
      assertThat(new String(jar.getInputStream(jar.getEntry("a/b/C.class")).readAllBytes()))
          .isEqualTo("rebuilt class bytes");
    }
  }

  @Test
  void aPackedClasspathGetsAClassDataCacheKeyWhereTheDirectoryGotNone() {
    List<String> flags = List.of("-XX:+UseSerialGC");

    assertThat(ClassDataArchives.key(flags, List.of(classes.toString()))).isEmpty();
    assertThat(ClassDataArchives.key(flags, packer.pack(List.of(classes.toString())))).isPresent();
  }
}
