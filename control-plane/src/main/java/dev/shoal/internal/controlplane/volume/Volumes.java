package dev.shoal.internal.controlplane.volume;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.shoal.protocol.v1.ReadVolumeFileResponse;
import dev.shoal.protocol.v1.VolumeDirEntry;
import dev.shoal.protocol.v1.VolumeFile;
import dev.shoal.protocol.v1.VolumeManifest;
import dev.shoal.protocol.v1.VolumeSummary;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named volumes over a {@link VolumeStore}: versions of a file tree, each one whole.
 *
 * <p>Layout, per volume {@code N}:
 * <pre>
 *   index/N                      the volume exists (its creation time)
 *   data/N/head                  the number of the latest committed version
 *   data/N/manifests/00…0V       version V: every file's path, content hash, size and time (immutable)
 *   data/N/blobs/HASH            a file's content, by its SHA-256 (immutable)
 * </pre>
 *
 * <p>A commit uploads its blobs first, then writes a new manifest, then moves the head: until the head moves,
 * readers see the previous version, and afterwards the new one, so no reader ever sees half a commit. Commits to
 * one volume are serialised here, each applied to the latest version, so writers of distinct files never lose
 * each other's files, and of two commits to the same file the later one wins. Threads of this process queue here;
 * processes that share a store queue on {@link VolumeStore#lock}, which a local directory implements and an S3
 * bucket, written by one server alone, need not.
 *
 * <p>Old manifests are kept for a while ({@link #KEEP_MANIFESTS} versions) so that a reader that has just read
 * the head still finds its manifest; blobs that no version refers to any more are not yet collected.
 */
public final class Volumes implements AutoCloseable {
  static final int KEEP_MANIFESTS = 16;
  /** The largest file a volume takes through the control plane, which moves a file in one message. */
  public static final int MAX_FILE_BYTES = 64 * 1024 * 1024;

  private final VolumeStore store;
  private final Clock clock;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Object catalog = new Object();

  public Volumes(VolumeStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public String describe() {
    return store.describe();
  }

  /** Makes sure the volume exists; returns whether this call created it. */
  public boolean ensure(String name, boolean createIfMissing) {
    VolumeNames.name(name);
    synchronized (catalog) {
      if (store.exists(indexKey(name))) {
        return false;
      }
      try (VolumeStore.Lock held = store.lock(name)) {
        return create(name, createIfMissing);
      }
    }
  }

  private boolean create(String name, boolean createIfMissing) {
    if (store.exists(indexKey(name))) {
      return false; // another process made it meanwhile
    }
    if (!createIfMissing) {
      throw notFound(name);
    }
    store.put(manifestKey(name, 0), VolumeManifest.newBuilder().setVolume(name).setVersion(0).build().toByteArray());
    store.put(headKey(name), "0".getBytes(StandardCharsets.US_ASCII));
    store.put(indexKey(name), Long.toString(clock.millis()).getBytes(StandardCharsets.US_ASCII));
    return true;
  }

  public boolean exists(String name) {
    return store.exists(indexKey(VolumeNames.name(name)));
  }

  /** Every volume, by name, with its latest version's size. */
  public List<VolumeSummary> list() {
    List<VolumeSummary> out = new ArrayList<>();
    for (String key : store.list("index/")) {
      String name = key.substring("index/".length());
      Optional<byte[]> created = store.get(key);
      if (created.isEmpty()) {
        continue; // deleted meanwhile
      }
      VolumeManifest manifest;
      try {
        manifest = manifest(name);
      } catch (io.grpc.StatusRuntimeException e) {
        continue;
      }
      long bytes = manifest.getFilesList().stream().mapToLong(VolumeFile::getSize).sum();
      out.add(VolumeSummary.newBuilder()
          .setName(name)
          .setCreatedAtMs(Long.parseLong(new String(created.get(), StandardCharsets.US_ASCII).strip()))
          .setVersion(manifest.getVersion())
          .setFiles(manifest.getFilesCount())
          .setBytes(bytes)
          .build());
    }
    out.sort(java.util.Comparator.comparing(VolumeSummary::getName));
    return out;
  }

  /** Deletes a volume and everything in it. The caller checks that no active app mounts it. */
  public void delete(String name) {
    VolumeNames.name(name);
    synchronized (catalog) {
      synchronized (lock(name)) {
        try (VolumeStore.Lock held = store.lock(name)) {
          deleteLocked(name);
        }
      }
    }
  }

  private void deleteLocked(String name) {
    if (!store.exists(indexKey(name))) {
      throw notFound(name);
    }
    // The index entry goes first: from then on the volume is gone, whatever is left to clean up.
    store.delete(indexKey(name));
    store.delete(headKey(name));
    for (String key : store.list("data/" + name + "/")) {
      store.delete(key);
    }
  }

  /** The latest committed version. */
  public VolumeManifest manifest(String name) {
    VolumeNames.name(name);
    // A head read just before a flurry of commits may name a manifest already pruned; read the head again then.
    for (int attempt = 0; attempt < 10; attempt++) {
      long version = head(name);
      Optional<byte[]> bytes = store.get(manifestKey(name, version));
      if (bytes.isPresent()) {
        return parse(name, bytes.get());
      }
    }
    throw Status.UNAVAILABLE.withDescription("volume '" + name + "' changed too fast to read; try again")
        .asRuntimeException();
  }

  /** The hashes among {@code hashes} whose content the volume lacks. */
  public List<String> missingBlobs(String name, List<String> hashes) {
    requireExists(name);
    return hashes.stream().map(VolumeNames::hash).distinct().filter(h -> !store.exists(blobKey(name, h))).toList();
  }

  /** Stores a file's content, after checking that it hashes to {@code hash}. */
  public void putBlob(String name, String hash, byte[] data) {
    requireExists(name);
    VolumeNames.hash(hash);
    if (data.length > MAX_FILE_BYTES) {
      throw Status.INVALID_ARGUMENT.withDescription("a file in a volume may hold at most " + MAX_FILE_BYTES
          + " bytes; this one has " + data.length).asRuntimeException();
    }
    String actual = sha256(data);
    if (!actual.equals(hash)) {
      throw Status.INVALID_ARGUMENT.withDescription("blob claimed hash " + hash + " but its content hashes to "
          + actual).asRuntimeException();
    }
    store.put(blobKey(name, hash), data);
  }

  public byte[] blob(String name, String hash) {
    VolumeNames.name(name);
    VolumeNames.hash(hash);
    return store.get(blobKey(name, hash)).orElseThrow(() -> Status.NOT_FOUND
        .withDescription("volume '" + name + "' has no content " + hash).asRuntimeException());
  }

  /**
   * Applies {@code removes} (a file, or a directory with everything under it), then {@code puts}, to the latest
   * version, and makes the result the next version. Returns its number.
   */
  public long commit(String name, List<VolumeFile> puts, List<String> removes) {
    VolumeNames.name(name);
    for (String path : removes) {
      VolumeNames.path(name, path);
    }
    for (VolumeFile put : puts) {
      VolumeNames.path(name, put.getPath());
      VolumeNames.hash(put.getHash());
    }
    synchronized (lock(name)) {
      try (VolumeStore.Lock held = store.lock(name)) {
        return commitLocked(name, puts, removes);
      }
    }
  }

  private long commitLocked(String name, List<VolumeFile> puts, List<String> removes) {
    requireExists(name);
    for (VolumeFile put : puts) {
      if (!store.exists(blobKey(name, put.getHash()))) {
        throw Status.FAILED_PRECONDITION.withDescription("commit to volume '" + name + "' names content "
            + put.getHash() + " for '" + put.getPath() + "', which was not uploaded").asRuntimeException();
      }
    }
    VolumeManifest base = manifest(name);
    TreeMap<String, VolumeFile> files = new TreeMap<>();
    base.getFilesList().forEach(f -> files.put(f.getPath(), f));
    for (String path : removes) {
      removeTree(files, path);
    }
    for (VolumeFile put : puts) {
      // A file and a directory cannot share a path: the newer one replaces the older.
      removeTree(files, put.getPath());
      for (int slash = put.getPath().indexOf('/'); slash > 0; slash = put.getPath().indexOf('/', slash + 1)) {
        files.remove(put.getPath().substring(0, slash));
      }
      files.put(put.getPath(), put);
    }
    long version = base.getVersion() + 1;
    store.put(manifestKey(name, version), VolumeManifest.newBuilder()
        .setVolume(name)
        .setVersion(version)
        .addAllFiles(files.values())
        .build()
        .toByteArray());
    store.put(headKey(name), Long.toString(version).getBytes(StandardCharsets.US_ASCII));
    if (version >= KEEP_MANIFESTS) {
      store.delete(manifestKey(name, version - KEEP_MANIFESTS));
    }
    return version;
  }

  /** One file of the latest version, with its content. */
  public ReadVolumeFileResponse read(String name, String path) {
    VolumeNames.path(name, path);
    VolumeManifest manifest = manifest(name);
    for (VolumeFile f : manifest.getFilesList()) {
      if (f.getPath().equals(path)) {
        return ReadVolumeFileResponse.newBuilder().setFile(f).setData(
            com.google.protobuf.ByteString.copyFrom(blob(name, f.getHash()))).build();
      }
    }
    boolean directory = manifest.getFilesList().stream().anyMatch(f -> f.getPath().startsWith(path + "/"));
    throw Status.NOT_FOUND.withDescription(directory
        ? "'" + path + "' in volume '" + name + "' is a directory, not a file"
        : "volume '" + name + "' has no file '" + path + "'").asRuntimeException();
  }

  /**
   * What is directly inside {@code dir} in the latest version: its files, and its subdirectories (whose size is
   * the total of the files under them, and whose time is the newest of theirs). A file's path lists that file.
   */
  public List<VolumeDirEntry> listDir(String name, String dir) {
    String prefix = VolumeNames.dir(name, dir);
    VolumeManifest manifest = manifest(name);
    TreeMap<String, VolumeDirEntry> entries = new TreeMap<>();
    String start = prefix.isEmpty() ? "" : prefix + "/";
    for (VolumeFile f : manifest.getFilesList()) {
      if (f.getPath().equals(prefix)) {
        return List.of(entry(f.getPath(), false, f));
      }
      if (!f.getPath().startsWith(start)) {
        continue;
      }
      String rest = f.getPath().substring(start.length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        entries.put(f.getPath(), entry(f.getPath(), false, f));
      } else {
        String sub = start + rest.substring(0, slash);
        VolumeDirEntry seen = entries.get(sub);
        entries.put(sub, VolumeDirEntry.newBuilder()
            .setPath(sub)
            .setDirectory(true)
            .setSize((seen == null ? 0 : seen.getSize()) + f.getSize())
            .setModifiedMs(Math.max(seen == null ? 0 : seen.getModifiedMs(), f.getModifiedMs()))
            .build());
      }
    }
    if (entries.isEmpty() && !prefix.isEmpty()) {
      throw Status.NOT_FOUND.withDescription("volume '" + name + "' has no file or directory '" + prefix + "'")
          .asRuntimeException();
    }
    return List.copyOf(entries.values());
  }

  @Override
  public void close() {
    store.close();
  }

  private static VolumeDirEntry entry(String path, boolean directory, VolumeFile f) {
    return VolumeDirEntry.newBuilder().setPath(path).setDirectory(directory).setSize(f.getSize())
        .setModifiedMs(f.getModifiedMs()).build();
  }

  private static void removeTree(TreeMap<String, VolumeFile> files, String path) {
    files.remove(path);
    // Every key under "path/" sorts between "path/" and "path0" ('0' follows '/').
    files.subMap(path + "/", path + "0").clear();
  }

  private long head(String name) {
    byte[] head = store.get(headKey(name)).orElseThrow(() -> notFound(name));
    return Long.parseLong(new String(head, StandardCharsets.US_ASCII).strip());
  }

  private void requireExists(String name) {
    if (!store.exists(indexKey(VolumeNames.name(name)))) {
      throw notFound(name);
    }
  }

  private static VolumeManifest parse(String name, byte[] bytes) {
    try {
      return VolumeManifest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw Status.DATA_LOSS.withDescription("a manifest of volume '" + name + "' does not parse: " + e.getMessage())
          .asRuntimeException();
    }
  }

  private Object lock(String name) {
    return locks.computeIfAbsent(name, n -> new Object());
  }

  private static io.grpc.StatusRuntimeException notFound(String name) {
    return Status.NOT_FOUND.withDescription("no volume named '" + name + "'; create it with `shoal volume create "
        + name + "` or Volume.fromName(\"" + name + "\", true)").asRuntimeException();
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private static String indexKey(String name) {
    return "index/" + name;
  }

  private static String headKey(String name) {
    return "data/" + name + "/head";
  }

  private static String manifestKey(String name, long version) {
    return "data/" + name + "/manifests/" + String.format("%020d", version);
  }

  private static String blobKey(String name, String hash) {
    return "data/" + name + "/blobs/" + hash;
  }
}
