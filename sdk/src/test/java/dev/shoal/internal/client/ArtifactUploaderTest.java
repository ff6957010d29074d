package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A class directory is packed for a server with its own files only. */
class ArtifactUploaderTest {
  @TempDir
  Path temp;

  @Test
  void packingAClassDirectoryLeavesOutLinksThatLeaveItAndNamesThem() throws Exception {
    Path classes = Files.createDirectories(temp.resolve("classes/com/acme"));
    Files.write(classes.resolve("Job.class"), new byte[] {(byte) 0xCA, (byte) 0xFE});
    Path root = classes.getParent().getParent();
    Files.createSymbolicLink(root.resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(root.resolve("home"), Path.of(System.getProperty("user.home")));

    List<String> skipped = new ArrayList<>();
    byte[] jar = ArtifactUploader.pack(root, skipped::add);

    List<String> entries = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        entries.add(e.getName());
      }
    }
    assertThat(entries).containsExactly("com/acme/Job.class");
    assertThat(skipped).hasSize(2).allSatisfy(line -> assertThat(line).contains("leads out of " + root))
        .anySatisfy(line -> assertThat(line).startsWith("skipped symbolic link passwd -> /etc/passwd"));
  }

  @Test
  void theSameFilesAlwaysPackToTheSameBytes() throws Exception {
    Path classes = Files.createDirectories(temp.resolve("classes"));
    Files.writeString(classes.resolve("b.txt"), "b");
    Files.writeString(classes.resolve("a.txt"), "a");
    byte[] first = ArtifactUploader.pack(classes, line -> {});
    Files.setLastModifiedTime(classes.resolve("a.txt"), java.nio.file.attribute.FileTime.fromMillis(0));
    assertThat(ArtifactUploader.pack(classes, line -> {})).isEqualTo(first);
  }
}
