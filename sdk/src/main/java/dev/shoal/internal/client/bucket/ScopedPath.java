package dev.shoal.internal.client.bucket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A path in a bucket mount: {@code '/'}-separated names, the root being the mount's prefix. Its operations are
 * lexical, as a Unix path's; only I/O, through {@link ScopedFileSystemProvider}, maps it to the store's path, and
 * refuses it there if it leaves the mount.
 */
final class ScopedPath implements Path {
  private final ScopedFileSystem fs;
  private final boolean absolute;
  private final List<String> names;

  ScopedPath(ScopedFileSystem fs, boolean absolute, List<String> names) {
    this.fs = fs;
    this.absolute = absolute;
    this.names = List.copyOf(names);
  }

  /** {@code text} split at each {@code '/'}, empty names dropped. */
  static ScopedPath parse(ScopedFileSystem fs, String text) {
    List<String> names = new ArrayList<>();
    for (String name : text.split("/")) {
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return new ScopedPath(fs, text.startsWith("/"), names);
  }

  /**
   * The names of this path from the mount's root, {@code .} and {@code ..} resolved.
   *
   * @throws java.nio.file.AccessDeniedException if a {@code ..} climbs above the root
   */
  List<String> namesFromRoot() throws java.nio.file.AccessDeniedException {
    Deque<String> resolved = new ArrayDeque<>();
    for (String name : names) {
      if (name.equals("..")) {
        if (resolved.isEmpty()) {
          throw fs.escape(this);
        }
        resolved.removeLast();
      } else if (!name.equals(".")) {
        resolved.addLast(name);
      }
    }
    return List.copyOf(resolved);
  }

  @Override
  public ScopedFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public Path getRoot() {
    return absolute ? new ScopedPath(fs, true, List.of()) : null;
  }

  @Override
  public Path getFileName() {
    return names.isEmpty() ? null : new ScopedPath(fs, false, List.of(names.get(names.size() - 1)));
  }

  @Override
  public Path getParent() {
    if (names.isEmpty() || (names.size() == 1 && !absolute)) {
      return null;
    }
    return new ScopedPath(fs, absolute, names.subList(0, names.size() - 1));
  }

  @Override
  public int getNameCount() {
    return names.size();
  }

  @Override
  public Path getName(int index) {
    return new ScopedPath(fs, false, List.of(names.get(index)));
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    return new ScopedPath(fs, false, names.subList(beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    ScopedPath o = same(other);
    return o.absolute == absolute && o.names.size() <= names.size()
        && names.subList(0, o.names.size()).equals(o.names);
  }

  @Override
  public boolean endsWith(Path other) {
    ScopedPath o = same(other);
    if (o.absolute) {
      return equals(o);
    }
    return o.names.size() <= names.size() && names.subList(names.size() - o.names.size(), names.size()).equals(o.names);
  }

  /** Resolves {@code .} and {@code ..} lexically; {@code ..} at the root of an absolute path stays there. */
  @Override
  public Path normalize() {
    Deque<String> resolved = new ArrayDeque<>();
    for (String name : names) {
      if (name.equals("..")) {
        if (!resolved.isEmpty() && !resolved.peekLast().equals("..")) {
          resolved.removeLast();
        } else if (!absolute) {
          resolved.addLast(name);
        }
      } else if (!name.equals(".")) {
        resolved.addLast(name);
      }
    }
    return new ScopedPath(fs, absolute, new ArrayList<>(resolved));
  }

  @Override
  public Path resolve(Path other) {
    ScopedPath o = same(other);
    if (o.absolute) {
      return o;
    }
    List<String> joined = new ArrayList<>(names);
    joined.addAll(o.names);
    return new ScopedPath(fs, absolute, joined);
  }

  @Override
  public Path relativize(Path other) {
    ScopedPath o = same(other);
    if (o.absolute != absolute) {
      throw new IllegalArgumentException("'" + other + "' and '" + this + "' are not both absolute or relative");
    }
    int common = 0;
    while (common < names.size() && common < o.names.size() && names.get(common).equals(o.names.get(common))) {
      common++;
    }
    List<String> result = new ArrayList<>();
    for (int i = common; i < names.size(); i++) {
      result.add("..");
    }
    result.addAll(o.names.subList(common, o.names.size()));
    return new ScopedPath(fs, false, result);
  }

  /** The URI of the object in the store. */
  @Override
  public URI toUri() {
    try {
      return fs.target(this).toUri();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Relative paths are taken from the mount's root, which is its only directory to work in. */
  @Override
  public Path toAbsolutePath() {
    return absolute ? this : new ScopedPath(fs, true, names);
  }

  @Override
  public Path toRealPath(LinkOption... options) throws IOException {
    fs.provider().checkAccess(this);
    return new ScopedPath(fs, true, namesFromRoot());
  }

  @Override
  public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("a bucket mount cannot be watched");
  }

  @Override
  public int compareTo(Path other) {
    return toString().compareTo(same(other).toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScopedPath p && p.fs == fs && p.absolute == absolute && p.names.equals(names);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {absolute, names});
  }

  @Override
  public String toString() {
    return (absolute ? "/" : "") + String.join("/", names);
  }

  private ScopedPath same(Path other) {
    if (!(other instanceof ScopedPath p) || p.fs != fs) {
      throw new ProviderMismatchException("'" + other + "' is not a path of " + fs);
    }
    return p;
  }
}
