package dev.shoal.internal.client.volume;

import com.google.protobuf.ByteString;
import dev.shoal.internal.client.FileTrees;
import dev.shoal.protocol.v1.CommitVolumeRequest;
import dev.shoal.protocol.v1.GetBlobRequest;
import dev.shoal.protocol.v1.GetManifestRequest;
import dev.shoal.protocol.v1.MissingBlobsRequest;
import dev.shoal.protocol.v1.PutBlobRequest;
import dev.shoal.protocol.v1.VolumeFile;
import dev.shoal.protocol.v1.VolumeManifest;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A volume mounted in one container: a local directory, synced with the volume's committed versions.
 *
 * <p>The mount remembers the <em>base</em>: each file as of the last sync (mount, reload or commit). What differs
 * from the base on disk is this container's change. {@link #commit} sends only those changes — files added or
 * modified, files deleted — and the control plane applies them to the latest version, so two containers that
 * write distinct files never undo each other; of two commits of the same file, the later wins. {@link #reload}
 * brings in the latest version but keeps this container's uncommitted changes, which a later commit sends.
 *
 * <p>Symbolic links are followed only to files inside the mount; one that points outside it, or to a directory,
 * makes the commit fail with its path, and nothing of that commit is published.
 *
 * <p>A file of the volume that cannot be made here (its name is longer than the local file system allows, a file
 * this container changed stands where it needs a directory) is left out of the base as well as out of the mount:
 * the base says what this container has, and a commit removes only what the container had and deleted. A file
 * the container never had must not be committed as removed: that is how an unrelated container's commit once
 * deleted two files a client had written.
 */
public final class MountedVolume {
  private static final String SYNC_PREFIX = ".shoal-sync-";

  private final String volume;
  private final Path root;
  private final VolumeServiceGrpc.VolumeServiceBlockingStub rpc;
  private final BlobCache cache;
  /** Each file's path to its hash, as of the last sync. */
  private Map<String, VolumeFile> base = new TreeMap<>();
  private long version;

  private MountedVolume(String volume, Path root, VolumeServiceGrpc.VolumeServiceBlockingStub rpc, BlobCache cache) {
    this.volume = volume;
    this.root = root;
    this.rpc = rpc;
    this.cache = cache;
  }

  /** Mounts the latest version of {@code volume} in the empty directory {@code root}. */
  static MountedVolume mount(String volume, Path root, VolumeServiceGrpc.VolumeServiceBlockingStub rpc,
      BlobCache cache) {
    MountedVolume mount = new MountedVolume(volume, root.toAbsolutePath().normalize(), rpc, cache);
    try {
      Files.createDirectories(mount.root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the mount of volume '" + volume + "' at " + root, e);
    }
    mount.reload();
    return mount;
  }

  public String volume() {
    return volume;
  }

  public Path path() {
    return root;
  }

  /** The version this mount last synced with. */
  public synchronized long version() {
    return version;
  }

  /** Publishes this container's changes as one new version; returns its number (the same if nothing changed). */
  public synchronized long commit() {
    Map<String, Local> local = scan();
    List<VolumeFile> puts = new ArrayList<>();
    for (Local file : local.values()) {
      VolumeFile before = base.get(file.path());
      if (before == null || !before.getHash().equals(file.hash())) {
        puts.add(upload(file));
      }
    }
    List<String> removes = base.keySet().stream().filter(p -> !local.containsKey(p)).toList();
    if (puts.isEmpty() && removes.isEmpty()) {
      return version;
    }
    version = rpc.commitVolume(CommitVolumeRequest.newBuilder()
        .setVolume(volume)
        .addAllPuts(puts)
        .addAllRemoves(removes)
        .build()).getVersion();
    removes.forEach(base::remove);
    puts.forEach(f -> base.put(f.getPath(), f));
    return version;
  }

  /**
   * Brings in the latest committed version: files this container did not change since its last sync take their
   * latest content (or go, if the latest version removed them); files it changed keep its content, to be sent by
   * its next commit. Returns the version now mounted.
   */
  public synchronized long reload() {
    VolumeManifest latest = rpc.getManifest(GetManifestRequest.newBuilder().setVolume(volume).build());
    Map<String, VolumeFile> head = new TreeMap<>();
    latest.getFilesList().forEach(f -> head.put(f.getPath(), f));
    Map<String, Local> local = scan();
    TreeSet<String> paths = new TreeSet<>(head.keySet());
    paths.addAll(local.keySet());
    paths.addAll(base.keySet());
    // Removals first, so that a file replaced by a directory of the same name (or the reverse) has room.
    for (String path : paths) {
      if (unchangedHere(path, local) && !head.containsKey(path) && local.containsKey(path)) {
        delete(path);
      }
    }
    Map<String, VolumeFile> synced = new TreeMap<>(head);
    for (String path : paths) {
      VolumeFile wanted = head.get(path);
      Local here = local.get(path);
      if (wanted != null && unchangedHere(path, local) && (here == null || !here.hash().equals(wanted.getHash()))
          && !place(wanted)) {
        // What this container has of the file is what it had before: none, or the version its base names.
        VolumeFile had = base.get(path);
        if (had == null) {
          synced.remove(path);
        } else {
          synced.put(path, had);
        }
      }
    }
    base = synced;
    version = latest.getVersion();
    return version;
  }

  private boolean unchangedHere(String path, Map<String, Local> local) {
    Local here = local.get(path);
    VolumeFile before = base.get(path);
    return Objects.equals(here == null ? null : here.hash(), before == null ? null : before.getHash());
  }

  private VolumeFile upload(Local file) {
    byte[] data;
    try {
      data = Files.readAllBytes(file.file());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + file.path() + "' of volume '" + volume + "'", e);
    }
    // Hashed again: the file may have changed since the scan, and the content sent must match its hash.
    String hash = sha256(data);
    if (!rpc.missingBlobs(MissingBlobsRequest.newBuilder().setVolume(volume).addHashes(hash).build())
        .getHashesList().isEmpty()) {
      rpc.putBlob(PutBlobRequest.newBuilder().setVolume(volume).setHash(hash).setData(ByteString.copyFrom(data))
          .build());
    }
    return VolumeFile.newBuilder()
        .setPath(file.path())
        .setHash(hash)
        .setSize(data.length)
        .setModifiedMs(file.modifiedMs())
        .build();
  }

  /**
   * Makes the file {@code wanted} in the mount; returns false, saying why on stderr (which a container sends to its
   * app's log), when this mount cannot hold it.
   */
  private boolean place(VolumeFile wanted) {
    Path target;
    try {
      target = VolumePaths.resolve(root, volume, wanted.getPath());
    } catch (IllegalArgumentException e) {
      // A file committed before a rule that it breaks existed, such as a name over 255 bytes.
      return leftOut(wanted, e.getMessage());
    }
    try {
      Path cached = cache.find(wanted.getHash()).orElse(null);
      if (cached == null) {
        byte[] data = rpc.getBlob(GetBlobRequest.newBuilder().setVolume(volume).setHash(wanted.getHash()).build())
            .getData().toByteArray();
        if (!sha256(data).equals(wanted.getHash())) {
          throw new IllegalStateException("content of '" + wanted.getPath() + "' in volume '" + volume
              + "' does not match its hash " + wanted.getHash());
        }
        cached = cache.put(wanted.getHash(), data);
      }
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        FileTrees.deleteTree(target);
      }
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), SYNC_PREFIX, "");
      try {
        Files.copy(cached, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(temp, FileTime.fromMillis(wanted.getModifiedMs()));
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
      return true;
    } catch (java.nio.file.FileSystemException e) {
      // The file system refuses the name (ENAMETOOLONG), or a file this container changed sits where the file
      // needs a directory: a fault of this mount, not of the volume.
      return leftOut(wanted, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write '" + wanted.getPath() + "' of volume '" + volume + "'", e);
    }
  }

  private boolean leftOut(VolumeFile wanted, String why) {
    System.err.println("shoal: volume '" + volume + "': cannot make '" + wanted.getPath() + "' in this container's"
        + " mount (" + why + "); it stays in the volume, and this container does not commit it as removed");
    return false;
  }

  private void delete(String path) {
    try {
      Files.deleteIfExists(VolumePaths.resolve(root, volume, path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove '" + path + "' of volume '" + volume + "'", e);
    }
  }

  /** Every file under the root, hashed; refuses symbolic links that leave the mount. */
  private Map<String, Local> scan() {
    Map<String, Local> files = new HashMap<>();
    Path realRoot;
    try {
      realRoot = root.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("the mount of volume '" + volume + "' at " + root + " is gone", e);
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : (Iterable<Path>) walk::iterator) {
        if (file.equals(root) || file.getFileName().toString().startsWith(SYNC_PREFIX)) {
          continue;
        }
        String path = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        if (Files.isSymbolicLink(file)) {
          Path target;
          try {
            target = file.toRealPath();
          } catch (IOException e) {
            throw new IllegalArgumentException("'" + path + "' in volume '" + volume + "' is a symbolic link to "
                + "nothing (" + Files.readSymbolicLink(file) + "); remove it before committing", e);
          }
          if (!target.startsWith(realRoot)) {
            throw new IllegalArgumentException("'" + path + "' in volume '" + volume + "' is a symbolic link to "
                + target + ", outside the volume; a volume holds only its own files, so the commit is refused");
          }
          if (Files.isDirectory(target)) {
            throw new IllegalArgumentException("'" + path + "' in volume '" + volume + "' is a symbolic link to a "
                + "directory; a volume stores files, so the commit is refused");
          }
        } else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          continue; // directories are implied by their files; sockets and pipes are not content
        }
        files.put(path, new Local(path, file, hash(file), Files.getLastModifiedTime(file).toMillis()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the mount of volume '" + volume + "' at " + root, e);
    }
    return files;
  }

  private static String hash(Path file) throws IOException {
    MessageDigest digest = digest();
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static String sha256(byte[] data) {
    return HexFormat.of().formatHex(digest().digest(data));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** A file on disk in the mount. */
  private record Local(String path, Path file, String hash, long modifiedMs) {}
}
