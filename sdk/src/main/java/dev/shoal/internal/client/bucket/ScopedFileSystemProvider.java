package dev.shoal.internal.client.bucket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The provider of one {@link ScopedFileSystem}: each operation maps its paths to the store's, refusing those that
 * leave the mount and, on a read-only mount, every write, then hands the operation to the store's own provider.
 * It is not installed: paths reach it only through the mount.
 */
final class ScopedFileSystemProvider extends FileSystemProvider {
  private static final Set<OpenOption> WRITES = Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
      StandardOpenOption.CREATE, StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING,
      StandardOpenOption.DELETE_ON_CLOSE);

  private final ScopedFileSystem fs;

  ScopedFileSystemProvider(ScopedFileSystem fs) {
    this.fs = fs;
  }

  @Override
  public String getScheme() {
    return "shoal-bucket";
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException("bucket mounts are made by FunctionOptions.bucketMount");
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    throw new UnsupportedOperationException("a bucket mount is reached through BucketMount.path()");
  }

  @Override
  public Path getPath(URI uri) {
    throw new UnsupportedOperationException("a bucket mount is reached through BucketMount.path()");
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    checkOptions(path, options);
    Path target = target(path);
    return target.getFileSystem().provider().newByteChannel(target, options, attrs);
  }

  @Override
  public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    checkOptions(path, options);
    Path target = target(path);
    return target.getFileSystem().provider().newFileChannel(target, options, attrs);
  }

  @Override
  public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
    checkOptions(path, Set.of(options));
    Path target = target(path);
    return target.getFileSystem().provider().newInputStream(target, options);
  }

  @Override
  public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
    fs.checkWritable(path);
    Path target = target(path);
    if (replacesWholeFile(Set.of(options))) {
      return fs.wholeObjects().open(target);
    }
    return target.getFileSystem().provider().newOutputStream(target, options);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    ScopedPath scoped = scoped(dir);
    Path target = fs.target(scoped);
    DirectoryStream<Path> entries = target.getFileSystem().provider().newDirectoryStream(target, entry -> true);
    return new DirectoryStream<>() {
      @Override
      public Iterator<Path> iterator() {
        Iterator<Path> inner = entries.iterator();
        return new Iterator<>() {
          private Path next;

          @Override
          public boolean hasNext() {
            while (next == null && inner.hasNext()) {
              Path candidate = fs.fromEntry(scoped, inner.next());
              try {
                if (filter == null || filter.accept(candidate)) {
                  next = candidate;
                }
              } catch (IOException e) {
                throw new java.nio.file.DirectoryIteratorException(e);
              }
            }
            return next != null;
          }

          @Override
          public Path next() {
            if (!hasNext()) {
              throw new java.util.NoSuchElementException();
            }
            Path result = next;
            next = null;
            return result;
          }
        };
      }

      @Override
      public void close() throws IOException {
        entries.close();
      }
    };
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    fs.checkWritable(dir);
    Path target = target(dir);
    target.getFileSystem().provider().createDirectory(target, attrs);
  }

  @Override
  public void delete(Path path) throws IOException {
    fs.checkWritable(path);
    Path target = target(path);
    target.getFileSystem().provider().delete(target);
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    fs.checkWritable(target);
    Path from = target(source);
    from.getFileSystem().provider().copy(from, target(target), options);
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    fs.checkWritable(source);
    Path from = target(source);
    from.getFileSystem().provider().move(from, target(target), options);
  }

  @Override
  public boolean isSameFile(Path path, Path path2) throws IOException {
    return target(path).equals(target(path2));
  }

  @Override
  public boolean isHidden(Path path) {
    return false;
  }

  @Override
  public FileStore getFileStore(Path path) throws IOException {
    Path target = target(path);
    return target.getFileSystem().provider().getFileStore(target);
  }

  /**
   * Whether the object or directory exists and, for {@link AccessMode#WRITE}, whether the mount takes writes. An
   * object store has no permissions of its own to check beyond what a request is refused.
   */
  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    if (Arrays.asList(modes).contains(AccessMode.WRITE)) {
      fs.checkWritable(path);
    }
    readAttributes(path, BasicFileAttributes.class);
  }

  @Override
  public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
    try {
      Path target = target(path);
      return target.getFileSystem().provider().getFileAttributeView(target, type, options);
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
      throws IOException {
    Path target = target(path);
    try {
      return target.getFileSystem().provider().readAttributes(target, type, options);
    } catch (NoSuchFileException e) {
      Path directory = asDirectory(target, e);
      return directory.getFileSystem().provider().readAttributes(directory, type, options);
    }
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    Path target = target(path);
    try {
      return target.getFileSystem().provider().readAttributes(target, attributes, options);
    } catch (NoSuchFileException e) {
      Path directory = asDirectory(target, e);
      return directory.getFileSystem().provider().readAttributes(directory, attributes, options);
    }
  }

  /**
   * The store's path of {@code target} as a directory, if it holds anything; throws {@code missing} otherwise.
   *
   * <p>S3's provider knows a directory only by a trailing {@code '/'}: the names of a listing have one, but a path
   * built from names does not, and an object store has no directory objects to look up. A path that names no
   * object is a directory if a listing under it finds something, as {@code ls} on a bucket would show.
   */
  private static Path asDirectory(Path target, NoSuchFileException missing) throws NoSuchFileException {
    Path directory = target.getFileSystem().getPath(target.toString() + "/");
    if (directory.toString().equals(target.toString())) {
      throw missing;
    }
    try (DirectoryStream<Path> entries = directory.getFileSystem().provider()
        .newDirectoryStream(directory, entry -> true)) {
      if (entries.iterator().hasNext()) {
        return directory;
      }
    } catch (IOException | RuntimeException e) {
      missing.addSuppressed(e);
    }
    throw missing;
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
    fs.checkWritable(path);
    Path target = target(path);
    target.getFileSystem().provider().setAttribute(target, attribute, value, options);
  }

  /**
   * Whether a stream opened with {@code options} makes the file anew, whether or not it exists: no options (as
   * {@code Files.write} passes), or {@code CREATE} and {@code TRUNCATE_EXISTING} with nothing that needs the old
   * content or its absence.
   */
  private static boolean replacesWholeFile(Set<OpenOption> options) {
    if (options.isEmpty()) {
      return true;
    }
    return options.contains(StandardOpenOption.CREATE) && options.contains(StandardOpenOption.TRUNCATE_EXISTING)
        && Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)
            .containsAll(options);
  }

  private void checkOptions(Path path, Set<? extends OpenOption> options) throws AccessDeniedException {
    for (OpenOption option : options) {
      if (WRITES.contains(option)) {
        fs.checkWritable(path);
      }
    }
  }

  private Path target(Path path) throws AccessDeniedException {
    return fs.target(scoped(path));
  }

  private ScopedPath scoped(Path path) {
    if (!(path instanceof ScopedPath p) || p.getFileSystem() != fs) {
      throw new ProviderMismatchException("'" + path + "' is not a path of " + fs);
    }
    return p;
  }
}
