package dev.shoal.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Classpaths made of jars only. */
final class Jars {
  private Jars() {}

  /**
   * {@code classpath} with each directory replaced by a jar of its files, written under {@code into}; jars and
   * missing entries stay as they are, in the same order.
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
      pack(path, jar);
      entries.add(jar.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void pack(Path dir, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(dir.relativize(file).toString().replace(File.separatorChar, '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
  }
}
