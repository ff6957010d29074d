package dev.shoal.internal.cli;

import dev.shoal.internal.client.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The agent skill this CLI carries (the repository's {@code skills/shoal-batch-processing}, packaged as a resource
 * at build time) and how it is installed into a project's skills directory.
 *
 * <p>An installed copy records two things in its SKILL.md metadata: the Shoal version it came from, and a checksum
 * of every file as installed. A copy whose files still match its checksum is Shoal's own, and installing again
 * replaces it (an upgrade); a copy that does not match was changed by someone, and is replaced only when asked
 * with {@code force}, so that nobody's edits are lost by accident.
 */
final class SkillInstaller {
  static final String NAME = "shoal-batch-processing";
  private static final String RESOURCE = "skills/" + NAME + "/SKILL.md";
  private static final Pattern VERSION_LINE = Pattern.compile("(?m)^  shoal-version: .*$");
  private static final Pattern CHECKSUM_LINE = Pattern.compile("(?m)^  shoal-install-sha256: \"([0-9a-f]{64})\"\\n");

  /** What installing did. */
  enum Outcome {
    /** There was no copy. */
    INSTALLED,
    /** A copy Shoal installed, unchanged since, was replaced by this version's. */
    UPDATED,
    /** The copy was already this version's, file for file; nothing was written. */
    UP_TO_DATE,
    /** A changed copy was replaced, as {@code force} asked. */
    REPLACED
  }

  /**
   * The result of an installation.
   *
   * @param directory the skill's directory, {@code <skills directory>/shoal-batch-processing}
   * @param files how many files the skill has
   */
  record Installation(Path directory, Outcome outcome, String version, int files) {}

  private SkillInstaller() {}

  /**
   * Installs the skill in {@code skillsDirectory}, stamped with {@code version}.
   *
   * @throws CliException if a changed copy is there and {@code force} is false; nothing is written then
   */
  static Installation install(Path skillsDirectory, String version, boolean force) {
    SortedMap<String, byte[]> files = stamped(bundled(), version);
    Path target = skillsDirectory.resolve(NAME);
    Outcome outcome;
    if (!Files.exists(target)) {
      outcome = Outcome.INSTALLED;
    } else if (!Files.isDirectory(target)) {
      throw CliException.failed(target + " is a file, not a skill's directory; move it away, then install again");
    } else {
      SortedMap<String, byte[]> present = read(target);
      if (same(present, files)) {
        return new Installation(target, Outcome.UP_TO_DATE, version, files.size());
      }
      if (isAsInstalled(present)) {
        outcome = Outcome.UPDATED;
      } else if (force) {
        outcome = Outcome.REPLACED;
      } else {
        throw CliException.failed("the " + NAME + " skill in " + target + " was changed after Shoal installed it"
            + " (it differs from Shoal " + version + "'s copy in " + differences(present, files) + "); nothing was"
            + " written. Keep your changes elsewhere, then replace it with `shoal skills install --force`");
      }
    }
    write(target, files);
    return new Installation(target, outcome, version, files.size());
  }

  /** The skill's files as this CLI carries them, by path relative to the skill's directory. */
  static SortedMap<String, byte[]> bundled() {
    URL skillMd = SkillInstaller.class.getResource(RESOURCE);
    if (skillMd == null) {
      throw CliException.failed("this Shoal CLI was built without its agent skill (no resource " + RESOURCE
          + "); rebuild it with `./mvnw -pl cli -am package`");
    }
    URI uri;
    try {
      uri = skillMd.toURI();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the CLI's resource " + skillMd + " has no valid URI", e);
    }
    // The launcher runs the CLI from target/classes (a directory), an installed CLI from its jar.
    if (!uri.getScheme().equals("jar")) {
      return read(Path.of(uri).getParent());
    }
    try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
      return read(jar.provider().getPath(uri).getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the agent skill packaged in the CLI's jar at " + uri, e);
    }
  }

  /**
   * The files with SKILL.md's {@code shoal-version} set to {@code version} and the checksum of them all added
   * under it.
   */
  static SortedMap<String, byte[]> stamped(SortedMap<String, byte[]> files, String version) {
    SortedMap<String, byte[]> out = new TreeMap<>(files);
    String skillMd = new String(files.get("SKILL.md"), StandardCharsets.UTF_8);
    Matcher line = VERSION_LINE.matcher(skillMd);
    if (!line.find()) {
      throw CliException.failed("the agent skill packaged with the CLI has no metadata.shoal-version line in its"
          + " SKILL.md; rebuild the CLI from a checked-out repository");
    }
    String versioned = skillMd.substring(0, line.start()) + "  shoal-version: \"" + version + "\""
        + skillMd.substring(line.end());
    out.put("SKILL.md", versioned.getBytes(StandardCharsets.UTF_8));
    String checksum = checksum(out);
    int after = versioned.indexOf('\n', line.start()) + 1;
    String withChecksum = versioned.substring(0, after) + "  shoal-install-sha256: \"" + checksum + "\"\n"
        + versioned.substring(after);
    out.put("SKILL.md", withChecksum.getBytes(StandardCharsets.UTF_8));
    return out;
  }

  /** Whether the files are exactly as Shoal installed them: they match the checksum their SKILL.md records. */
  static boolean isAsInstalled(SortedMap<String, byte[]> files) {
    byte[] skillMd = files.get("SKILL.md");
    if (skillMd == null) {
      return false;
    }
    Matcher recorded = CHECKSUM_LINE.matcher(new String(skillMd, StandardCharsets.UTF_8));
    if (!recorded.find()) {
      return false;
    }
    SortedMap<String, byte[]> unstamped = new TreeMap<>(files);
    unstamped.put("SKILL.md", recorded.replaceFirst("").getBytes(StandardCharsets.UTF_8));
    return checksum(unstamped).equals(recorded.group(1));
  }

  /** A SHA-256 over every file's path and content, in path order. */
  private static String checksum(SortedMap<String, byte[]> files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      files.forEach((path, content) -> {
        digest.update((path + "\n" + content.length + "\n").getBytes(StandardCharsets.UTF_8));
        digest.update(content);
      });
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Every regular file under {@code directory}, by its {@code '/'}-separated path relative to it. */
  static SortedMap<String, byte[]> read(Path directory) {
    SortedMap<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String relative = directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        files.put(relative, Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the skill's files in " + directory, e);
    }
    return files;
  }

  private static boolean same(SortedMap<String, byte[]> a, SortedMap<String, byte[]> b) {
    return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> Arrays.equals(a.get(k), b.get(k)));
  }

  /** The paths that are only in one of the two, or differ, for the refusal's message. */
  private static String differences(SortedMap<String, byte[]> present, SortedMap<String, byte[]> files) {
    Set<String> paths = new TreeSet<>(present.keySet());
    paths.addAll(files.keySet());
    List<String> differing = new ArrayList<>();
    for (String path : paths) {
      if (!Arrays.equals(present.get(path), files.get(path))) {
        differing.add(path);
      }
    }
    return String.join(", ", differing);
  }

  /**
   * Writes the skill into {@code target}, replacing what is there: the new copy is complete in a sibling directory
   * before the old one is removed, so a failure leaves one whole copy or the other.
   */
  private static void write(Path target, SortedMap<String, byte[]> files) {
    try {
      Path parent = Files.createDirectories(target.toAbsolutePath().getParent());
      Path fresh = Files.createTempDirectory(parent, "." + NAME + "-");
      try {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
          Path path = fresh.resolve(file.getKey());
          Files.createDirectories(path.getParent());
          Files.write(path, file.getValue());
        }
        FileTrees.deleteTree(target);
        Files.move(fresh, target);
      } catch (IOException | RuntimeException e) {
        FileTrees.deleteTree(fresh);
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + NAME + " skill to " + target, e);
    }
  }
}
