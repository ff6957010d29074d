package dev.shoal.internal.controlplane;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where an {@link ArtifactStore} keeps artifacts when its local directory may not outlive the process: a control
 * plane in a pod with no persistent disk keeps them in the S3-compatible store that holds its volumes. Artifacts
 * are immutable and named by their hash, so a put, a read and an existence check are all an archive needs.
 * Failures are unchecked exceptions; the store adds the hash and {@link #describe()} to their messages.
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

  /** Where the archive is, for messages: a bucket and key prefix. */
  String describe();
}
