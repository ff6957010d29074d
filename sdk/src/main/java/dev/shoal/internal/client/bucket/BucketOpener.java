package dev.shoal.internal.client.bucket;

import dev.shoal.protocol.v1.BucketMountSpec;
import java.io.Closeable;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Opens buckets on their store, for the mounts of a container. The one implementation, in the optional module
 * {@code dev.shoal:shoal-buckets}, is found with {@link java.util.ServiceLoader}: the store's client and its NIO
 * provider (tens of megabytes with their native parts) are then only on the class path of apps that mount buckets.
 */
public interface BucketOpener {
  /**
   * The directory of the store's file system that is the root of {@code mount}, once the store has answered a
   * request under the mount's credentials.
   *
   * @param environment the container's environment, where the mount's secret put its credentials
   * @throws java.io.IOException naming the mount, the store and, if the store refused them, the credentials
   */
  Opened open(BucketMountSpec mount, Map<String, String> environment) throws java.io.IOException;

  /**
   * A mount's root, and what to close when the container stops.
   *
   * @param replacingWrite options the store's provider takes, beside the caller's, for a write that replaces a
   *     whole file ({@code TRUNCATE_EXISTING} or {@code CREATE_NEW}, without {@code APPEND}): S3's provider would
   *     otherwise fetch the old object before writing over it
   */
  record Opened(Path root, Closeable resources, Set<OpenOption> replacingWrite) {}
}
