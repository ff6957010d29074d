package dev.shoal.internal.controlplane.volume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Volumes in a local directory, for the embedded engine and a single-machine server. Each key is a file; a put
 * writes a temporary file beside it and renames it into place, which is atomic on a local file system. Several
 * processes may share the directory (every embedded engine of a user uses {@code ~/.shoal/volumes}): they take
 * turns through {@link #lock}.
 */
public final class LocalVolumeStore implements VolumeStore {
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private final Path root;

  public LocalVolumeStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the volume directory " + this.root, e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(Files.readAllBytes(file(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file(key), e);
    }
  }

  @Override
  public void put(String key, byte[] data) {
    Path target = file(key);
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), ".put-", ".part");
      try {
        Files.write(temp, data);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(file(key));
  }

  @Override
  public List<String> list(String prefix) {
    // Keys are '/'-separated; the directory holding the prefix is the place to start walking.
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : file(prefix.substring(0, slash));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try (Stream<Path> files = Files.walk(start)) {
      files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith(".put-"))
          .map(f -> root.relativize(f).toString().replace('\\', '/'))
          .filter(k -> k.startsWith(prefix))
          .forEach(keys::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + start, e);
    }
    return keys;
  }

  @Override
  public void delete(String key) {
    Path target = file(key);
    try {
      Files.deleteIfExists(target);
      // Empty directories left behind would make a deleted volume's name look taken to a person browsing.
      for (Path dir = target.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
        try (Stream<Path> rest = Files.list(dir)) {
          if (rest.findAny().isPresent()) {
            break;
          }
        }
        Files.deleteIfExists(dir);
      }
    } catch (java.nio.file.DirectoryNotEmptyException | NoSuchFileException e) {
      // Another writer added to the directory, or removed it, meanwhile.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + target, e);
    }
  }

  /**
   * Locks {@code locks/NAME.lock} with an OS file lock, which other processes see. The JVM holds one such lock per
   * file at a time, so threads of this JVM queue on a lock of their own first.
   */
  @Override
  public Lock lock(String name) {
    Path file = file("locks/" + name + ".lock");
    ReentrantLock inJvm = JVM_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    inJvm.lock();
    try {
      Files.createDirectories(file.getParent());
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock held;
      try {
        held = channel.lock();
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      return () -> {
        try {
          held.release();
          channel.close();
        } catch (IOException e) {
          // Closing the channel releases the lock whatever went wrong.
        } finally {
          inJvm.unlock();
        }
      };
    } catch (IOException e) {
      inJvm.unlock();
      throw new UncheckedIOException("cannot lock " + file, e);
    } catch (RuntimeException e) {
      inJvm.unlock();
      throw e;
    }
  }

  @Override
  public String describe() {
    return root.toString();
  }

  private Path file(String key) {
    Path file = root.resolve(key).normalize();
    if (!file.startsWith(root)) {
      throw new IllegalArgumentException("volume store key '" + key + "' leaves " + root);
    }
    return file;
  }
}
