package dev.shoal;

import com.google.protobuf.ByteString;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.Engines;
import dev.shoal.internal.client.volume.MountedVolume;
import dev.shoal.internal.client.volume.MountedVolumes;
import dev.shoal.internal.client.volume.VolumePaths;
import dev.shoal.protocol.v1.CommitVolumeRequest;
import dev.shoal.protocol.v1.EnsureVolumeRequest;
import dev.shoal.protocol.v1.ListVolumeDirRequest;
import dev.shoal.protocol.v1.MissingBlobsRequest;
import dev.shoal.protocol.v1.PutBlobRequest;
import dev.shoal.protocol.v1.ReadVolumeFileRequest;
import dev.shoal.protocol.v1.VolumeDirEntry;
import dev.shoal.protocol.v1.VolumeFile;
import dev.shoal.protocol.v1.VolumeMount;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * A named, durable file tree that functions mount and clients read and write — Modal's {@code Volume}.
 *
 * <pre>{@code
 * static final Volume results = Volume.fromName("results", true);
 * static final RemoteFunction<Integer, Integer> work = app.function("work", n -> {
 *   Files.writeString(results.path().resolve("out/" + n + ".json"), "{\"n\": " + n + "}");
 *   results.commit();                                    // visible to everyone from now on
 *   return n;
 * }, FunctionOptions.builder().volume(results).build());
 * }</pre>
 *
 * <p>Semantics:
 * <ul>
 *   <li>A container sees the volume as it was when the container started, in the local directory {@link #path()}.
 *   <li>{@link #commit()} publishes the container's changes (files written, changed or deleted since its last
 *       sync) as one new version: no one ever sees part of a commit. A container's changes are also committed
 *       when it stops normally; a container that is killed loses what it had not committed.
 *   <li>{@link #reload()} brings in what others committed since, keeping the container's uncommitted changes.
 *   <li>Commits apply changes to the latest version, so containers writing distinct files never lose each other's
 *       files. Two commits that write the same file: the last one committed wins, with no merging and no error.
 *   <li>A commit takes each file as it is at that moment. In a container that runs several inputs at once, one
 *       input's commit may take a file another is still writing; write such files under a temporary name and
 *       move them into place when complete.
 *   <li>From any process, {@link #read}, {@link #write}, {@link #list} and {@link #remove} act on the latest
 *       version at once; {@code write} and {@code remove} are commits of their own.
 *   <li>Paths are relative and {@code '/'}-separated; {@code ".."}, absolute paths and symbolic links that point
 *       outside the volume are refused. A file holds at most 64 MiB.
 * </ul>
 *
 * <p>{@code fromName} does no I/O, so it belongs in a static field; the volume is found (or created) when an app
 * that mounts it starts, or at the first client operation.
 */
public final class Volume {
  private final String name;
  private final boolean createIfMissing;
  private volatile EngineConnection ensuredOn;

  private Volume(String name, boolean createIfMissing) {
    this.name = name;
    this.createIfMissing = createIfMissing;
  }

  /**
   * The volume named {@code name}.
   *
   * @param name 1..63 letters, digits, '.', '_' or '-', starting with a letter or digit
   * @param createIfMissing create the volume when it is first used if it does not exist; otherwise using a missing
   *     volume throws {@link NotFoundException}
   */
  public static Volume fromName(String name, boolean createIfMissing) {
    String problem = VolumePaths.nameProblem(name);
    if (problem != null) {
      throw new InvalidOptionException(problem);
    }
    return new Volume(name, createIfMissing);
  }

  public String name() {
    return name;
  }

  /**
   * Inside a container whose function mounts this volume, the local directory that holds it.
   *
   * @throws IllegalStateException anywhere else
   */
  public Path path() {
    return mount().path();
  }

  /**
   * Publishes this container's changes to the volume as one version that others see whole.
   *
   * @throws IllegalStateException outside a container that mounts this volume
   * @throws InvalidOptionException if the mount holds a symbolic link that points outside the volume
   */
  public void commit() {
    MountedVolume mount = mount();
    rpc("commit volume '" + name + "'", mount::commit);
  }

  /**
   * Brings in what others committed since this container's last sync; files this container changed and has not
   * committed are kept.
   *
   * @throws IllegalStateException outside a container that mounts this volume
   */
  public void reload() {
    MountedVolume mount = mount();
    rpc("reload volume '" + name + "'", mount::reload);
  }

  /** The content of the file at {@code path} in the latest version. */
  public byte[] read(String path) {
    checkPath(path);
    return rpc("read '" + path + "' from volume '" + name + "'", () -> stub().readVolumeFile(
        ReadVolumeFileRequest.newBuilder().setVolume(name).setPath(path).build()).getData().toByteArray());
  }

  /** Writes the file at {@code path}, creating its directories, and commits it at once. */
  public void write(String path, byte[] data) {
    checkPath(path);
    Checks.notNull("data", data);
    rpc("write '" + path + "' to volume '" + name + "'", () -> {
      VolumeServiceGrpc.VolumeServiceBlockingStub stub = stub();
      String hash = sha256(data);
      if (!stub.missingBlobs(MissingBlobsRequest.newBuilder().setVolume(name).addHashes(hash).build())
          .getHashesList().isEmpty()) {
        stub.putBlob(PutBlobRequest.newBuilder().setVolume(name).setHash(hash).setData(ByteString.copyFrom(data))
            .build());
      }
      return stub.commitVolume(CommitVolumeRequest.newBuilder()
          .setVolume(name)
          .addPuts(VolumeFile.newBuilder().setPath(path).setHash(hash).setSize(data.length)
              .setModifiedMs(System.currentTimeMillis()))
          .build());
    });
  }

  /**
   * What is directly inside {@code dir} ({@code ""} or {@code "/"} for the root), sorted by path; a file's own
   * path lists that file.
   *
   * @throws NotFoundException if there is no such file or directory
   */
  public List<VolumeEntry> list(String dir) {
    Checks.notNull("dir", dir);
    if (!dir.isEmpty() && !dir.equals("/")) {
      checkPath(dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir);
    }
    List<VolumeDirEntry> entries = rpc("list '" + dir + "' in volume '" + name + "'", () -> stub().listVolumeDir(
        ListVolumeDirRequest.newBuilder().setVolume(name).setDir(dir).build()).getEntriesList());
    return entries.stream()
        .map(e -> new VolumeEntry(e.getPath(), e.getSize(), e.getDirectory(), Instant.ofEpochMilli(e.getModifiedMs())))
        .toList();
  }

  /**
   * Removes the file at {@code path}, or the directory at {@code path} with everything under it, as one commit.
   *
   * @throws NotFoundException if there is no such file or directory
   */
  public void remove(String path) {
    checkPath(path);
    rpc("remove '" + path + "' from volume '" + name + "'", () -> {
      VolumeServiceGrpc.VolumeServiceBlockingStub stub = stub();
      // Listing first turns a path that names nothing into NOT_FOUND rather than an empty commit.
      stub.listVolumeDir(ListVolumeDirRequest.newBuilder().setVolume(name).setDir(path).build());
      return stub.commitVolume(CommitVolumeRequest.newBuilder().setVolume(name).addRemoves(path).build());
    });
  }

  /** How a function's definition names this volume. */
  VolumeMount toMount() {
    return VolumeMount.newBuilder().setName(name).setCreateIfMissing(createIfMissing).build();
  }

  /** Makes sure the volume exists on {@code connection} (creating it if asked to); before an app mounts it. */
  static void ensure(EngineConnection connection, VolumeMount mount) {
    try {
      VolumeServiceGrpc.newBlockingStub(connection.channel()).ensureVolume(EnsureVolumeRequest.newBuilder()
          .setName(mount.getName()).setCreateIfMissing(mount.getCreateIfMissing()).build());
    } catch (StatusRuntimeException e) {
      throw Rpc.translate(e, "find volume '" + mount.getName() + "' on " + connection.description());
    }
  }

  private MountedVolume mount() {
    return MountedVolumes.find(name).orElseThrow(() -> new IllegalStateException("volume '" + name
        + "' is not mounted here: path(), commit() and reload() work inside a container whose function mounts it"
        + " (FunctionOptions.builder().volume(vol)); from a client, use read, write, list and remove"));
  }

  private VolumeServiceGrpc.VolumeServiceBlockingStub stub() {
    EngineConnection connection = Engines.current();
    if (createIfMissing && ensuredOn != connection) {
      ensure(connection, toMount());
      ensuredOn = connection;
    }
    return VolumeServiceGrpc.newBlockingStub(connection.channel());
  }

  private void checkPath(String path) {
    String problem = VolumePaths.pathProblem(name, path);
    if (problem != null) {
      throw new InvalidOptionException(problem);
    }
  }

  private static <T> T rpc(String doing, Supplier<T> body) {
    try {
      return body.get();
    } catch (StatusRuntimeException e) {
      throw Rpc.translate(e, doing);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionException(e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new ShoalException("could not " + doing + ": " + e.getMessage() + ": " + e.getCause().getMessage(), e);
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "Volume[" + name + "]";
  }
}
