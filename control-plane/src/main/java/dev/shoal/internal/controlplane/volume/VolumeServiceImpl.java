package dev.shoal.internal.controlplane.volume;

import static dev.shoal.internal.controlplane.UnaryCalls.unary;

import com.google.protobuf.ByteString;
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

/** The volume gRPC service, for clients and containers alike: a thin adapter over {@link Volumes}. */
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
    unary(response, () -> EnsureVolumeResponse.newBuilder()
        .setCreated(volumes.ensure(request.getName(), request.getCreateIfMissing()))
        .build());
  }

  @Override
  public void listVolumes(ListVolumesRequest request, StreamObserver<ListVolumesResponse> response) {
    unary(response, () -> ListVolumesResponse.newBuilder().addAllVolumes(volumes.list()).build());
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> response) {
    unary(response, () -> {
      String name = VolumeNames.name(request.getName());
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
    unary(response, () -> volumes.manifest(request.getVolume()));
  }

  @Override
  public void missingBlobs(MissingBlobsRequest request, StreamObserver<MissingBlobsResponse> response) {
    unary(response, () -> MissingBlobsResponse.newBuilder()
        .addAllHashes(volumes.missingBlobs(request.getVolume(), request.getHashesList()))
        .build());
  }

  @Override
  public void putBlob(PutBlobRequest request, StreamObserver<PutBlobResponse> response) {
    unary(response, () -> {
      volumes.putBlob(request.getVolume(), request.getHash(), request.getData().toByteArray());
      return PutBlobResponse.getDefaultInstance();
    });
  }

  @Override
  public void getBlob(GetBlobRequest request, StreamObserver<GetBlobResponse> response) {
    unary(response, () -> GetBlobResponse.newBuilder()
        .setData(ByteString.copyFrom(volumes.blob(request.getVolume(), request.getHash())))
        .build());
  }

  @Override
  public void commitVolume(CommitVolumeRequest request, StreamObserver<CommitVolumeResponse> response) {
    unary(response, () -> CommitVolumeResponse.newBuilder()
        .setVersion(volumes.commit(request.getVolume(), request.getPutsList(), request.getRemovesList()))
        .build());
  }

  @Override
  public void readVolumeFile(ReadVolumeFileRequest request, StreamObserver<ReadVolumeFileResponse> response) {
    unary(response, () -> volumes.read(request.getVolume(), request.getPath()));
  }

  @Override
  public void listVolumeDir(ListVolumeDirRequest request, StreamObserver<ListVolumeDirResponse> response) {
    unary(response, () -> ListVolumeDirResponse.newBuilder()
        .addAllEntries(volumes.listDir(request.getVolume(), request.getDir()))
        .build());
  }
}
