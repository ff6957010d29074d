package dev.shoal.internal.client.bucket;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;

/**
 * One bucket mount as a file system whose root is the mount's prefix: every path of it maps to a path under
 * {@code root}, a directory of the store's own NIO file system, and no path leaves that directory. A read-only
 * mount refuses writes before they reach the store. Both are refused with an {@link AccessDeniedException} that
 * names the mount, since code reading a bucket expects I/O errors, not Shoal's own.
 *
 * <p>Wrapping the store's paths, rather than handing them out, is what makes the scope hold for every
 * {@code Files} method: the store's provider would resolve {@code /2026/../x} to a key outside the prefix.
 */
public final class ScopedFileSystem extends FileSystem {
  private final String mount;
  private final String description;
  private final Path root;
  private final boolean readOnly;
  private final BucketOpener.WholeObjectWriter wholeObjects;
  private final ScopedFileSystemProvider provider;

  /**
   * @param mount the mount's name, for errors
   * @param description where the mount is, such as {@code s3://bucket/prefix/}, for errors
   * @param root the directory of the store's file system that is this one's root
   * @param wholeObjects how the store writes an object whole (see {@link BucketOpener.Opened})
   */
  public ScopedFileSystem(String mount, String description, Path root, boolean readOnly,
      BucketOpener.WholeObjectWriter wholeObjects) {
    this.mount = mount;
    this.description = description;
    this.root = root;
    this.readOnly = readOnly;
    this.wholeObjects = wholeObjects;
    this.provider = new ScopedFileSystemProvider(this);
  }

  /** The root of the mount. */
  public Path rootPath() {
    return new ScopedPath(this, true, List.of());
  }

  /**
   * The store's path for {@code path}.
   *
   * @throws AccessDeniedException if it leaves the mount
   */
  Path target(ScopedPath path) throws AccessDeniedException {
    List<String> names = path.namesFromRoot();
    return names.isEmpty() ? root : root.resolve(String.join("/", names));
  }

  /** The path of this file system for {@code entry}, a store's path found in the directory {@code dir}. */
  ScopedPath fromEntry(ScopedPath dir, Path entry) {
    String name = entry.getFileName().toString();
    // The store's directories may end with the separator (S3's provider names them so).
    return (ScopedPath) dir.resolve(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
  }

  BucketOpener.WholeObjectWriter wholeObjects() {
    return wholeObjects;
  }

  AccessDeniedException escape(ScopedPath path) {
    return new AccessDeniedException(path.toString(), null, "leaves bucket mount '" + mount + "' ("
        + description + "): a mount reaches only the keys under its prefix");
  }

  /** Refuses a write to {@code path} if the mount is read-only. */
  void checkWritable(Path path) throws AccessDeniedException {
    if (readOnly) {
      throw new AccessDeniedException(path.toString(), null, "bucket mount '" + mount + "' (" + description
          + ") is read-only");
    }
  }

  @Override
  public ScopedFileSystemProvider provider() {
    return provider;
  }

  /** The container closes its mounts when it stops; user code may not. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("bucket mount '" + mount + "' is closed by its container");
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return readOnly;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return List.of(rootPath());
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return List.of();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic");
  }

  @Override
  public Path getPath(String first, String... more) {
    StringBuilder text = new StringBuilder(first);
    for (String part : more) {
      if (!part.isEmpty()) {
        text.append('/').append(part);
      }
    }
    return ScopedPath.parse(this, text.toString());
  }

  /** Glob and regex patterns as the default file system reads them, matched against a path's text. */
  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher(syntaxAndPattern);
    return path -> matcher.matches(Path.of(path.toString()));
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("a bucket mount has no users");
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException("a bucket mount cannot be watched");
  }

  @Override
  public String toString() {
    return "bucket mount '" + mount + "' (" + description + ")";
  }
}
