package dev.shoal.internal.client.volume;

import dev.shoal.internal.client.ContainerScope;
import dev.shoal.internal.client.FileTrees;
import dev.shoal.protocol.v1.VolumeMount;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import io.grpc.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The volumes one container mounted, by name. A volume's mount is found through the {@link ContainerScope} of the
 * calling thread, so that thread containers, which share the caller's JVM, each find their own.
 */
public final class MountedVolumes {
  private static final BlobCache CACHE = BlobCache.machineWide();
  private static final MountedVolumes NONE = new MountedVolumes(Map.of());

  private final Map<String, MountedVolume> mounts;
  private final AtomicBoolean unmounted = new AtomicBoolean();

  private MountedVolumes(Map<String, MountedVolume> mounts) {
    this.mounts = Collections.unmodifiableMap(new LinkedHashMap<>(mounts));
  }

  /**
   * Mounts every volume a container's function names, each at its latest version, in a new local directory.
   *
   * @throws RuntimeException if a volume cannot be mounted; the container then fails to start
   */
  public static MountedVolumes mountAll(Channel channel, String containerId, List<VolumeMount> volumes) {
    if (volumes.isEmpty()) {
      return NONE;
    }
    VolumeServiceGrpc.VolumeServiceBlockingStub rpc = VolumeServiceGrpc.newBlockingStub(channel);
    Path dir;
    try {
      dir = Files.createTempDirectory("shoal-volumes-" + containerId + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the volumes of container " + containerId, e);
    }
    Map<String, MountedVolume> mounts = new LinkedHashMap<>();
    try {
      for (VolumeMount volume : volumes) {
        rpc.ensureVolume(dev.shoal.protocol.v1.EnsureVolumeRequest.newBuilder()
            .setName(volume.getName()).setCreateIfMissing(volume.getCreateIfMissing()).build());
        mounts.put(volume.getName(),
            MountedVolume.mount(volume.getName(), dir.resolve(volume.getName()), rpc, CACHE));
      }
    } catch (RuntimeException e) {
      // Nothing was written yet: the copies made so far can go with the failed start.
      try {
        FileTrees.deleteTree(dir);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return new MountedVolumes(mounts);
  }

  /** The mount of {@code volume} for the calling thread's container, if its function mounts it. */
  public static Optional<MountedVolume> find(String volume) {
    return ContainerScope.current().flatMap(scope -> scope.mount(volume));
  }

  /** This container's mount of {@code volume}, if its function mounts it. */
  public Optional<MountedVolume> mount(String volume) {
    return Optional.ofNullable(mounts.get(volume));
  }

  /**
   * Commits what a stopping container changed in its volumes, then removes its local copies. A mount whose commit
   * fails is left on disk, and its place printed, so that nothing written is lost.
   */
  public void commitAndUnmount() {
    if (mounts.isEmpty() || !unmounted.compareAndSet(false, true)) {
      return;
    }
    boolean allCommitted = true;
    for (MountedVolume mount : mounts.values()) {
      try {
        mount.commit();
      } catch (RuntimeException e) {
        allCommitted = false;
        System.err.println("shoal: the final commit of volume '" + mount.volume() + "' failed (" + e.getMessage()
            + "); its files stay in " + mount.path());
      }
    }
    if (allCommitted) {
      Path dir = mounts.values().iterator().next().path().getParent();
      try {
        FileTrees.deleteTree(dir);
      } catch (IOException e) {
        // A temporary directory left behind is harmless.
      }
    }
  }
}
