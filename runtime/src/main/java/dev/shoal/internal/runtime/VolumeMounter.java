package dev.shoal.internal.runtime;

import dev.shoal.internal.client.volume.MountedVolumes;
import dev.shoal.protocol.v1.FunctionDefinition;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;

/**
 * Mounts the volumes a container's function names, before any of its code runs: a Cls factory may read a volume
 * (a model's weights, say).
 */
final class VolumeMounter {
  private VolumeMounter() {}

  /**
   * Mounts every volume of {@code function} at its latest version.
   *
   * @throws StartupException naming the function if a volume cannot be mounted
   */
  static MountedVolumes mount(Channel channel, String containerId, FunctionDefinition function) {
    try {
      return MountedVolumes.mountAll(channel, containerId, function.getVolumesList());
    } catch (StatusRuntimeException e) {
      throw new StartupException("cannot mount the volumes of function '" + function.getName()
          + "': " + e.getStatus().getDescription(), null);
    } catch (RuntimeException e) {
      throw new StartupException("cannot mount the volumes of function '" + function.getName()
          + "': " + e.getMessage(), e);
    }
  }
}
