package dev.shoal.internal.client.volume;

import dev.shoal.InputContext;
import dev.shoal.internal.client.CurrentInput;
import dev.shoal.internal.client.FileTrees;
import dev.shoal.protocol.v1.VolumeMount;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import io.grpc.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The volumes mounted in this JVM, by container. A process container is alone in its JVM; thread containers share
 * the caller's, so a volume's mount is found through the container of the input the calling thread runs.
 */
public final class MountedVolumes {
  private static final Map<String, Map<String, MountedVolume>> BY_CONTAINER = new ConcurrentHashMap<>();
  private static final BlobCache CACHE = BlobCache.machineWide();

  private MountedVolumes() {}

  /**
   * Mounts every volume a container's function names, each at its latest version, in a new local directory.
   *
   * @throws RuntimeException if a volume cannot be mounted; the container then fails to start
   */
  public static void mountAll(Channel channel, String containerId, List<VolumeMount> volumes) {
    if (volumes.isEmpty()) {
      return;
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
    BY_CONTAINER.put(containerId, mounts);
  }

  /** The mount of {@code volume} for the calling thread's container, if its function mounts it. */
  public static Optional<MountedVolume> find(String volume) {
    InputContext input = CurrentInput.get();
    if (input != null) {
      Map<String, MountedVolume> mounts = BY_CONTAINER.get(input.containerId());
      return Optional.ofNullable(mounts == null ? null : mounts.get(volume));
    }
    // Outside an input (a Cls factory, a thread of the user's own): only an unambiguous mount will do.
    List<MountedVolume> candidates = BY_CONTAINER.values().stream()
        .map(m -> m.get(volume))
        .filter(java.util.Objects::nonNull)
        .toList();
    return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
  }

  /**
   * Commits what a stopping container changed in its volumes, then removes its local copies. A mount whose commit
   * fails is left on disk, and its place printed, so that nothing written is lost.
   */
  public static void commitAndUnmount(String containerId) {
    Map<String, MountedVolume> mounts = BY_CONTAINER.remove(containerId);
    if (mounts == null) {
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
