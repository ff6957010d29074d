package dev.shoal.internal.controlplane;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where an {@link ArtifactStore} keeps artifacts when its local directory may not outlive the process: a control
 * plane in a pod with no persistent disk keeps them in the S3-compatible store that holds its volumes. Artifacts
 * are immutable and named by their hash, so a put, a read and an existence check are all an artifact store needs;
 * the {@link dev.shoal.internal.controlplane.blob.BlobStore}, which keeps large payloads the same way, also deletes
 * them and lists them. Failures are unchecked exceptions; the stores add the hash and {@link #describe()} to their
 * messages.
 */
public interface ArtifactArchive {
  /** Whether the artifact with this hash is stored. */
  boolean contains(String hash);

  /** Stores the content of {@code file} as the artifact with this hash; it is durable once this returns. */
  void put(String hash, Path file);

  /**
   * The artifact's content, to read once and close.
   *
   * @throws java.util.NoSuchElementException when the archive has no such artifact
   */
  InputStream open(String hash);

  /** Deletes the object with this hash; deleting one that is not there does nothing. */
  void delete(String hash);

  /** The hashes of every object in the archive. */
  java.util.List<String> hashes();

  /**
   * A URL from which anyone holding it may read the artifact with this hash, without credentials, until
   * {@code validFor} has passed (an S3 presigned GET); empty where the archive cannot issue one. Issuing one asks
   * the archive nothing: an artifact that is not there fails the download, not this call.
   */
  default java.util.Optional<java.net.URI> downloadUrl(String hash, java.time.Duration validFor) {
    return java.util.Optional.empty();
  }

  /** Where the archive is, for messages: a bucket and key prefix. */
  String describe();
}
