package dev.shoal.internal.runtime;

import dev.shoal.internal.client.bucket.MountedBuckets;
import dev.shoal.protocol.v1.FunctionDefinition;
import java.io.IOException;

/**
 * Mounts the buckets a container's function names, before any of its code runs, so that a Cls factory may read
 * them and credentials the store refuses fail the start rather than the first input.
 */
final class BucketMounter {
  private BucketMounter() {}

  /**
   * Opens every bucket of {@code function} with the credentials in the container's environment.
   *
   * @throws StartupException naming the function and the mount if a bucket cannot be mounted
   */
  static MountedBuckets mount(FunctionDefinition function, ContainerHost host) {
    if (function.getBucketMountsCount() == 0) {
      return MountedBuckets.NONE;
    }
    if (host == ContainerHost.SHARED_JVM) {
      throw new StartupException("bucket mount '" + function.getBucketMounts(0).getName() + "' of function '"
          + function.getName() + "' needs process or pod containers: a thread container shares the caller's JVM,"
          + " whose environment cannot carry the mount's credentials", null);
    }
    try {
      return MountedBuckets.mountAll(function.getBucketMountsList(), System.getenv());
    } catch (IOException e) {
      // The opener's message names the mount, the store and the credentials; the store's own exceptions below
      // it add nothing the caller can act on.
      throw new StartupException("cannot mount the buckets of function '" + function.getName() + "': "
          + e.getMessage(), null);
    } catch (RuntimeException e) {
      throw new StartupException("cannot mount the buckets of function '" + function.getName() + "': "
          + e.getMessage(), e);
    }
  }
}
