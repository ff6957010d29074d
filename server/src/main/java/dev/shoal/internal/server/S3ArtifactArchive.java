package dev.shoal.internal.server;

import dev.shoal.internal.controlplane.ArtifactArchive;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Uploaded artifacts in the bucket of an {@link S3VolumeStore}, as {@code artifacts/HASH.jar} beside the volumes'
 * keys, so that a control plane with no persistent disk loses no deployed code when it restarts; and the same for
 * large payloads, as {@code blobs/HASH.blob}. It shares the volume store's client, which closes it.
 */
final class S3ArtifactArchive implements ArtifactArchive {
  private final S3Client s3;
  /** Signs download URLs; null for an archive that issues none (large payloads, which only the server reads). */
  private final S3Presigner presigner;
  private final String bucket;
  private final String prefix;
  private final String suffix;

  /**
   * @param presigner signs download URLs ({@link #downloadUrl}), or null for none
   * @param prefix the key prefix of the objects, ending in '/'
   * @param suffix what follows the hash in a key, such as ".jar"
   */
  S3ArtifactArchive(S3Client s3, S3Presigner presigner, String bucket, String prefix, String suffix) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.prefix = prefix;
    this.suffix = suffix;
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

  /** A presigned GET of the artifact's object, signed here with the server's credentials. */
  @Override
  public Optional<URI> downloadUrl(String hash, Duration validFor) {
    if (presigner == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(presigner.presignGetObject(r -> r.signatureDuration(validFor)
          .getObjectRequest(g -> g.bucket(bucket).key(key(hash)))).url().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the presigned URL of " + key(hash) + " is not a URI", e);
    }
  }

  @Override
  public void delete(String hash) {
    s3.deleteObject(b -> b.bucket(bucket).key(key(hash)));
  }

  @Override
  public List<String> hashes() {
    List<String> hashes = new ArrayList<>();
    for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
      for (S3Object object : page.contents()) {
        String key = object.key();
        if (key.endsWith(suffix) && key.indexOf('/', prefix.length()) < 0) {
          hashes.add(key.substring(prefix.length(), key.length() - suffix.length()));
        }
      }
    }
    return hashes;
  }

  private String key(String hash) {
    return prefix + hash + suffix;
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix;
  }
}
