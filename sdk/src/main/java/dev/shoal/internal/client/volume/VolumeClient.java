package dev.shoal.internal.client.volume;

import com.google.protobuf.ByteString;
import dev.shoal.VolumeEntry;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.EngineErrors;
import dev.shoal.internal.client.Engines;
import dev.shoal.internal.client.PublicApi;
import dev.shoal.internal.client.PublicApi.Failure;
import dev.shoal.protocol.v1.CommitVolumeRequest;
import dev.shoal.protocol.v1.EnsureVolumeRequest;
import dev.shoal.protocol.v1.ListVolumeDirRequest;
import dev.shoal.protocol.v1.MissingBlobsRequest;
import dev.shoal.protocol.v1.PutBlobRequest;
import dev.shoal.protocol.v1.ReadVolumeFileRequest;
import dev.shoal.protocol.v1.VolumeDirEntry;
import dev.shoal.protocol.v1.VolumeFile;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code Volume} asks the engine: a client's reads and writes of the latest version, and a mount's commits
 * and reloads. Failures come back as Shoal's exceptions.
 */
public final class VolumeClient {
  private final String name;
  private final boolean createIfMissing;
  private volatile EngineConnection ensuredOn;

  public VolumeClient(String name, boolean createIfMissing) {
    this.name = name;
    this.createIfMissing = createIfMissing;
  }

  /** Makes sure the volume exists on {@code connection} (creating it if asked to); before an app mounts it. */
  public static void ensure(EngineConnection connection, String volume, boolean createIfMissing) {
    try {
      VolumeServiceGrpc.newBlockingStub(connection.channel()).ensureVolume(EnsureVolumeRequest.newBuilder()
          .setName(volume).setCreateIfMissing(createIfMissing).build());
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "find volume '" + volume + "' on " + connection.description());
    }
  }

  /** Publishes a mount's changes as one version. */
  public void commit(MountedVolume mount) {
    rpc("commit volume '" + name + "'", mount::commit);
  }

  /** Brings in what others committed since the mount's last sync. */
  public void reload(MountedVolume mount) {
    rpc("reload volume '" + name + "'", mount::reload);
  }

  public byte[] read(String path) {
    return rpc("read '" + path + "' from volume '" + name + "'", () -> stub().readVolumeFile(
        ReadVolumeFileRequest.newBuilder().setVolume(name).setPath(path).build()).getData().toByteArray());
  }

  public void write(String path, byte[] data) {
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

  public List<VolumeEntry> list(String dir) {
    List<VolumeDirEntry> entries = rpc("list '" + dir + "' in volume '" + name + "'", () -> stub().listVolumeDir(
        ListVolumeDirRequest.newBuilder().setVolume(name).setDir(dir).build()).getEntriesList());
    return entries.stream()
        .map(e -> new VolumeEntry(e.getPath(), e.getSize(), e.getDirectory(), Instant.ofEpochMilli(e.getModifiedMs())))
        .toList();
  }

  public void remove(String path) {
    rpc("remove '" + path + "' from volume '" + name + "'", () -> {
      VolumeServiceGrpc.VolumeServiceBlockingStub stub = stub();
      // Listing first turns a path that names nothing into NOT_FOUND rather than an empty commit.
      stub.listVolumeDir(ListVolumeDirRequest.newBuilder().setVolume(name).setDir(path).build());
      return stub.commitVolume(CommitVolumeRequest.newBuilder().setVolume(name).addRemoves(path).build());
    });
  }

  private VolumeServiceGrpc.VolumeServiceBlockingStub stub() {
    EngineConnection connection = Engines.current();
    if (createIfMissing && ensuredOn != connection) {
      ensure(connection, name, true);
      ensuredOn = connection;
    }
    return VolumeServiceGrpc.newBlockingStub(connection.channel());
  }

  private static <T> T rpc(String doing, Supplier<T> body) {
    try {
      return body.get();
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, doing);
    } catch (IllegalArgumentException e) {
      throw PublicApi.failure(Failure.INVALID_OPTION, e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw PublicApi.failure(Failure.GENERAL,
          "could not " + doing + ": " + e.getMessage() + ": " + e.getCause().getMessage(), e);
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
