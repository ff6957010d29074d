package dev.shoal.internal.client.bucket;

import dev.shoal.internal.client.ContainerScope;
import dev.shoal.protocol.v1.BucketMountSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The buckets one container mounted, by mount name. A mount is found through the {@link ContainerScope} of the
 * calling thread, as volumes are.
 */
public final class MountedBuckets {
  public static final MountedBuckets NONE = new MountedBuckets(Map.of(), List.of());

  private final Map<BucketMountSpec, ScopedFileSystem> mounts;
  private final List<BucketOpener.Opened> opened;

  private MountedBuckets(Map<BucketMountSpec, ScopedFileSystem> mounts, List<BucketOpener.Opened> opened) {
    this.mounts = mounts;
    this.opened = opened;
  }

  /**
   * Opens every bucket a container's function mounts.
   *
   * @param environment the container's environment, which holds the mounts' credentials
   * @throws IOException naming the mount that could not be opened; those opened before are closed
   * @throws IllegalStateException if {@code dev.shoal:shoal-buckets} is not on the class path
   */
  public static MountedBuckets mountAll(List<BucketMountSpec> specs, Map<String, String> environment)
      throws IOException {
    if (specs.isEmpty()) {
      return NONE;
    }
    Iterator<BucketOpener> found = ServiceLoader.load(BucketOpener.class, MountedBuckets.class.getClassLoader())
        .iterator();
    if (!found.hasNext()) {
      throw new IllegalStateException("bucket mount '" + specs.get(0).getName() + "' needs the module"
          + " dev.shoal:shoal-buckets on the app's class path; add it as a dependency");
    }
    BucketOpener opener = found.next();
    Map<BucketMountSpec, ScopedFileSystem> mounts = new LinkedHashMap<>();
    List<BucketOpener.Opened> opened = new ArrayList<>();
    MountedBuckets result = new MountedBuckets(mounts, opened);
    try {
      for (BucketMountSpec spec : specs) {
        BucketOpener.Opened open = opener.open(spec, environment);
        opened.add(open);
        mounts.put(spec, new ScopedFileSystem(spec.getName(), describe(spec), open.root(), spec.getReadOnly(),
            open.wholeObjects()));
      }
    } catch (IOException | RuntimeException e) {
      result.close();
      throw e;
    }
    return result;
  }

  /** Where a mount is, for messages: its bucket, prefix and store; never a credential. */
  public static String describe(BucketMountSpec spec) {
    return "s3://" + spec.getBucket() + "/" + spec.getPrefix()
        + (spec.getEndpoint().isEmpty() ? "" : " at " + spec.getEndpoint());
  }

  /** The root of the calling thread's container's mount of this bucket location, if its function mounts it. */
  public static Optional<Path> find(String bucket, String prefix, String endpoint, boolean readOnly) {
    return ContainerScope.current().flatMap(scope -> scope.buckets().mount(bucket, prefix, endpoint, readOnly));
  }

  /** This container's mount of the location, if its function mounts it. */
  public Optional<Path> mount(String bucket, String prefix, String endpoint, boolean readOnly) {
    return mounts.entrySet().stream()
        .filter(e -> e.getKey().getBucket().equals(bucket) && e.getKey().getPrefix().equals(prefix)
            && e.getKey().getEndpoint().equals(endpoint) && e.getKey().getReadOnly() == readOnly)
        .map(e -> e.getValue().rootPath())
        .findFirst();
  }

  /** Releases the stores' clients; what was written is in the store already, as each file was closed. */
  public void close() {
    for (BucketOpener.Opened open : opened) {
      try {
        open.resources().close();
      } catch (IOException | RuntimeException e) {
        // A client that fails to close holds nothing the container still needs.
      }
    }
  }
}
