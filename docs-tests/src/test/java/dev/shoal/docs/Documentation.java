package dev.shoal.docs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The documentation these tests check, found from the repository root that the build passes in: the README,
 * {@code docs/*.md}, and every file of {@code skills/}.
 */
final class Documentation {
  private Documentation() {}

  static Path root() {
    return Path.of(property("shoal.repositoryRoot")).toAbsolutePath().normalize();
  }

  static Path stages() {
    return Path.of(property("shoal.docs.stages"));
  }

  /** The Markdown documents whose Java blocks must compile, from the root, in a stable order. */
  static List<String> markdownDocuments() {
    List<String> documents = new ArrayList<>();
    documents.add("README.md");
    documents.addAll(files("docs", ".md", false));
    documents.addAll(files("skills", ".md", true));
    return documents;
  }

  /** Every Java source file of the skills (their scripts and the files their evals hand to an agent). */
  static List<String> skillSources() {
    return files("skills", ".java", true);
  }

  static String read(String document) {
    try {
      return Files.readString(root().resolve(document));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + document, e);
    }
  }

  /** The document's stage (see {@link BlockSources}), if it has one. */
  static Optional<String> stage(String document) {
    Path stage = stages().resolve(document + ".java");
    if (!Files.isRegularFile(stage)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(stage));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the stage " + stage, e);
    }
  }

  /** The classpath of an application that depends on dev.shoal:shoal, as the build wrote it. */
  static List<Path> applicationClasspath() {
    try {
      String written = Files.readString(Path.of(property("shoal.docs.classpathFile"))).strip();
      return Arrays.stream(written.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the application classpath that the build writes", e);
    }
  }

  private static List<String> files(String directory, String suffix, boolean recursive) {
    Path start = root().resolve(directory);
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    try (Stream<Path> walk = recursive ? Files.walk(start) : Files.list(start)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .map(p -> root().relativize(p).toString().replace(File.separatorChar, '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + start, e);
    }
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("the system property " + name + " is not set; run these tests through Maven"
          + " (./mvnw -pl docs-tests -am verify), which sets it");
    }
    return value;
  }
}
