package dev.shoal.benchmarks;

import dev.shoal.internal.client.ArtifactUploader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Classpaths made of jars only. */
final class Jars {
  private Jars() {}

  /**
   * {@code classpath} with each directory replaced by a jar of its files, packed as a client packs one to upload
   * it to a server, and written under {@code into}; jars and missing entries stay as they are, in the same order.
   */
  static String packDirectories(String classpath, Path into) throws IOException {
    Files.createDirectories(into);
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : classpath.split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (!Files.isDirectory(path)) {
        entries.add(entry);
        continue;
      }
      Path jar = into.resolve("dir-" + n++ + ".jar");
      Files.write(jar, ArtifactUploader.pack(path));
      entries.add(jar.toString());
    }
    return String.join(File.pathSeparator, entries);
  }
}
