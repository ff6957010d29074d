package dev.shoal.internal.client.bucket;

import dev.shoal.protocol.v1.BucketMountSpec;
import java.io.Closeable;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;

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
   * A mount's root, what to close when the container stops, and how to write a whole object at once.
   *
   * @param wholeObjects opens a stream whose content replaces the object at a path of the root's file system when
   *     it is closed, whether or not one was there: how a write that replaces a file ({@code Files.write} and the
   *     like) reaches the store. S3's provider would fetch the old object first, doubling the requests of the
   *     commonest write of a batch job, a new result file.
   */
  record Opened(Path root, Closeable resources, WholeObjectWriter wholeObjects) {}

  /** Writes an object whole, replacing any object at its path. */
  @FunctionalInterface
  interface WholeObjectWriter {
    OutputStream open(Path target) throws java.io.IOException;
  }
}
