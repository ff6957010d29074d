package dev.shoal.internal.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Operations on whole directory trees, shared by the SDK, the CLI and the benchmarks. */
public final class FileTrees {
  private FileTrees() {}

  /**
   * A regular file found in a tree.
   *
   * @param path where it is under the tree's root, with {@code /} between names
   * @param source the file to read: the file itself, or the target of a symbolic link that stays in the tree
   */
  public record TreeFile(String path, Path source) {
    /** Opens the file, refusing to follow a symbolic link put in its place since the tree was listed. */
    public InputStream open() throws IOException {
      return Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS);
    }

    public byte[] readAllBytes() throws IOException {
      try (InputStream in = open()) {
        return in.readAllBytes();
      }
    }
  }

  /**
   * The regular files under {@code root}, in path order, read without ever leaving the tree: what is uploaded
   * from a user's directory must be what is in it, not {@code /etc/passwd} or {@code ~/.ssh/id_rsa} that a
   * symbolic link in it points to.
   *
   * <ul>
   *   <li>A symbolic link to a regular file inside the tree is listed under the link's own path, with its target's
   *       content, as a copy of the tree would hold it.
   *   <li>A symbolic link out of the tree, to a directory (even one inside: its files are listed where they are,
   *       and no link can make the walk go round in a cycle), or to nothing is skipped.
   *   <li>So are pipes, sockets and devices, which hold no content to upload.
   * </ul>
   *
   * <p>Each file skipped is reported to {@code skipped} in one line naming it, where a link points and why it
   * was left out. {@code root} itself may be a link: the user named it.
   */
  public static List<TreeFile> regularFiles(Path root, Consumer<String> skipped) throws IOException {
    Path realRoot = root.toRealPath();
    List<Path> walked;
    try (Stream<Path> paths = Files.walk(realRoot)) {
      walked = paths.sorted().toList();
    }
    List<TreeFile> files = new ArrayList<>();
    for (Path file : walked) {
      String path = realRoot.relativize(file).toString().replace(java.io.File.separatorChar, '/');
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      if (attributes.isRegularFile()) {
        files.add(new TreeFile(path, file));
      } else if (attributes.isSymbolicLink()) {
        String problem = linkProblem(file, realRoot, root);
        if (problem == null) {
          files.add(new TreeFile(path, file.toRealPath()));
        } else {
          skipped.accept("skipped symbolic link " + path + " -> " + Files.readSymbolicLink(file) + ": " + problem);
        }
      } else if (!attributes.isDirectory()) {
        skipped.accept("skipped " + path + ": not a regular file (a pipe, socket or device holds nothing to copy)");
      }
    }
    return files;
  }

  /** Why the link {@code file} is not followed, or null when it leads to a regular file inside the tree. */
  private static String linkProblem(Path file, Path realRoot, Path root) throws IOException {
    Path target;
    try {
      target = file.toRealPath();
    } catch (NoSuchFileException e) {
      return "it points to nothing";
    } catch (IOException e) {
      return "it cannot be resolved (" + e.getMessage() + ")";
    }
    if (!target.startsWith(realRoot)) {
      return "it leads out of " + root + ", and only what is in it is copied";
    }
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      return "links to directories are not followed (the directory's own files are copied from where they are)";
    }
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return "it points to a pipe, socket or device, which holds nothing to copy";
    }
    return null;
  }

  /** Deletes {@code root} and everything under it, deepest first; a missing root is nothing to do. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
