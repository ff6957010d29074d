package dev.shoal.internal.controlplane.volume;

import static dev.shoal.internal.controlplane.UnaryCalls.unary;

import com.google.protobuf.ByteString;
import dev.shoal.internal.controlplane.Caller;
import dev.shoal.internal.controlplane.ContainerScope;
import dev.shoal.internal.controlplane.RequestFields;
import dev.shoal.protocol.v1.CommitVolumeRequest;
import dev.shoal.protocol.v1.CommitVolumeResponse;
import dev.shoal.protocol.v1.DeleteVolumeRequest;
import dev.shoal.protocol.v1.DeleteVolumeResponse;
import dev.shoal.protocol.v1.EnsureVolumeRequest;
import dev.shoal.protocol.v1.EnsureVolumeResponse;
import dev.shoal.protocol.v1.GetBlobRequest;
import dev.shoal.protocol.v1.GetBlobResponse;
import dev.shoal.protocol.v1.GetManifestRequest;
import dev.shoal.protocol.v1.ListVolumeDirRequest;
import dev.shoal.protocol.v1.ListVolumeDirResponse;
import dev.shoal.protocol.v1.ListVolumesRequest;
import dev.shoal.protocol.v1.ListVolumesResponse;
import dev.shoal.protocol.v1.MissingBlobsRequest;
import dev.shoal.protocol.v1.MissingBlobsResponse;
import dev.shoal.protocol.v1.PutBlobRequest;
import dev.shoal.protocol.v1.PutBlobResponse;
import dev.shoal.protocol.v1.ReadVolumeFileRequest;
import dev.shoal.protocol.v1.ReadVolumeFileResponse;
import dev.shoal.protocol.v1.VolumeManifest;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Function;

/**
 * The volume gRPC service, for clients and containers alike: a thin adapter over {@link Volumes}. A container's
 * credential reaches only the volumes mounted into its own function, and creates one only where that mount says
 * createIfMissing ({@link ContainerScope#volume}); names, paths and hashes are checked before the volume store is.
 */
public final class VolumeServiceImpl extends VolumeServiceGrpc.VolumeServiceImplBase {
  private final Volumes volumes;
  private final Function<String, List<String>> mountedBy;

  /**
   * @param mountedBy the active apps (as {@code name (id)}) whose functions mount a volume, which may then not be
   *     deleted
   */
  public VolumeServiceImpl(Volumes volumes, Function<String, List<String>> mountedBy) {
    this.volumes = volumes;
    this.mountedBy = mountedBy;
  }

  @Override
  public void ensureVolume(EnsureVolumeRequest request, StreamObserver<EnsureVolumeResponse> response) {
    unary(response, () -> {
      reach("VolumeService/EnsureVolume", request.getName(), request.getCreateIfMissing());
      return EnsureVolumeResponse.newBuilder()
          .setCreated(volumes.ensure(request.getName(), request.getCreateIfMissing()))
          .build();
    });
  }

  @Override
  public void listVolumes(ListVolumesRequest request, StreamObserver<ListVolumesResponse> response) {
    unary(response, () -> ListVolumesResponse.newBuilder().addAllVolumes(volumes.list()).build());
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> response) {
    unary(response, () -> {
      String name = VolumeNames.name(request.getName());
      ContainerScope.volume(Caller.current(), "VolumeService/DeleteVolume", name, false);
      List<String> apps = mountedBy.apply(name);
      if (!apps.isEmpty()) {
        throw Status.FAILED_PRECONDITION.withDescription("volume '" + name + "' is mounted by active app"
            + (apps.size() > 1 ? "s " : " ") + String.join(", ", apps) + "; stop "
            + (apps.size() > 1 ? "them" : "it") + " (`shoal app stop`) before deleting the volume")
            .asRuntimeException();
      }
      volumes.delete(name);
      return DeleteVolumeResponse.getDefaultInstance();
    });
  }

  @Override
  public void getManifest(GetManifestRequest request, StreamObserver<VolumeManifest> response) {
    unary(response, () -> {
      reach("VolumeService/GetManifest", request.getVolume(), false);
      return volumes.manifest(request.getVolume());
    });
  }

  @Override
  public void missingBlobs(MissingBlobsRequest request, StreamObserver<MissingBlobsResponse> response) {
    unary(response, () -> {
      reach("VolumeService/MissingBlobs", request.getVolume(), false);
      RequestFields.count("hashes", request.getHashesCount());
      request.getHashesList().forEach(VolumeNames::hash);
      return MissingBlobsResponse.newBuilder()
          .addAllHashes(volumes.missingBlobs(request.getVolume(), request.getHashesList()))
          .build();
    });
  }

  @Override
  public void putBlob(PutBlobRequest request, StreamObserver<PutBlobResponse> response) {
    unary(response, () -> {
      reach("VolumeService/PutBlob", request.getVolume(), false);
      volumes.putBlob(request.getVolume(), request.getHash(), request.getData().toByteArray());
      return PutBlobResponse.getDefaultInstance();
    });
  }

  @Override
  public void getBlob(GetBlobRequest request, StreamObserver<GetBlobResponse> response) {
    unary(response, () -> {
      reach("VolumeService/GetBlob", request.getVolume(), false);
      return GetBlobResponse.newBuilder()
          .setData(ByteString.copyFrom(volumes.blob(request.getVolume(), request.getHash())))
          .build();
    });
  }

  @Override
  public void commitVolume(CommitVolumeRequest request, StreamObserver<CommitVolumeResponse> response) {
    unary(response, () -> {
      reach("VolumeService/CommitVolume", request.getVolume(), false);
      RequestFields.count("puts", request.getPutsCount());
      RequestFields.count("removes", request.getRemovesCount());
      return CommitVolumeResponse.newBuilder()
          .setVersion(volumes.commit(request.getVolume(), request.getPutsList(), request.getRemovesList()))
          .build();
    });
  }

  @Override
  public void readVolumeFile(ReadVolumeFileRequest request, StreamObserver<ReadVolumeFileResponse> response) {
    unary(response, () -> {
      reach("VolumeService/ReadVolumeFile", request.getVolume(), false);
      return volumes.read(request.getVolume(), request.getPath());
    });
  }

  @Override
  public void listVolumeDir(ListVolumeDirRequest request, StreamObserver<ListVolumeDirResponse> response) {
    unary(response, () -> {
      reach("VolumeService/ListVolumeDir", request.getVolume(), false);
      return ListVolumeDirResponse.newBuilder()
          .addAllEntries(volumes.listDir(request.getVolume(), request.getDir()))
          .build();
    });
  }

  /**
   * Checks the volume's name, then whether the current caller may use it ({@code create}: create it too); throws
   * INVALID_ARGUMENT or PERMISSION_DENIED naming the method and the volume.
   */
  private static void reach(String method, String volume, boolean create) {
    VolumeNames.name(volume);
    ContainerScope.volume(Caller.current(), method, volume, create);
  }
}
