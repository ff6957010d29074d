package dev.shoal.internal.server;

import dev.shoal.internal.controlplane.ArtifactArchive;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Uploaded artifacts in the bucket of an {@link S3VolumeStore}, as {@code artifacts/HASH.jar} beside the volumes'
 * keys, so that a control plane with no persistent disk loses no deployed code when it restarts. It shares the
 * volume store's client, which closes it.
 */
final class S3ArtifactArchive implements ArtifactArchive {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  /** @param prefix the key prefix of the artifacts, ending in '/' */
  S3ArtifactArchive(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  @Override
  public boolean contains(String hash) {
    return S3VolumeStore.objectExists(s3, bucket, key(hash));
  }

  @Override
  public void put(String hash, Path file) {
    s3.putObject(b -> b.bucket(bucket).key(key(hash)), RequestBody.fromFile(file));
  }

  @Override
  public InputStream open(String hash) {
    try {
      return s3.getObject(b -> b.bucket(bucket).key(key(hash)));
    } catch (NoSuchKeyException e) {
      throw new NoSuchElementException("no object " + key(hash) + " in bucket " + bucket);
    }
  }

  private String key(String hash) {
    return prefix + hash + ".jar";
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix;
  }
}
