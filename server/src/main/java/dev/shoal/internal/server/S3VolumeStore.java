package dev.shoal.internal.server;

import dev.shoal.internal.controlplane.ArtifactArchive;
import dev.shoal.internal.controlplane.volume.VolumeStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Volumes in an S3-compatible bucket, under a key prefix, for a server whose containers may run on other
 * machines. Only the server holds credentials (from the standard AWS chain: environment, profile, instance role);
 * containers reach volumes through the server, and read their app's artifacts through URLs it signs. An S3 put is
 * atomic and S3 reads its own writes, which is all that {@link VolumeStore} asks.
 */
public final class S3VolumeStore implements VolumeStore {
  private final S3Client s3;
  /** Signs the URLs from which pods download artifacts. */
  private final S3Presigner presigner;
  private final String bucket;
  private final String prefix;

  private S3VolumeStore(S3Client s3, S3Presigner presigner, String bucket, String prefix) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
  }

  /**
   * A store at {@code s3://bucket[/prefix]}.
   *
   * @param endpoint an S3-compatible service's URL (MinIO, R2, s3proxy), or empty for AWS itself; a custom
   *     endpoint is addressed path-style, which every S3-compatible service understands
   * @param region the signing region; AWS_REGION or us-east-1 when empty
   */
  public static S3VolumeStore open(String uri, Optional<String> endpoint, Optional<String> region) {
    if (!uri.startsWith("s3://") || uri.length() == "s3://".length()) {
      throw new IllegalArgumentException("a volume store in S3 is written s3://BUCKET[/PREFIX], was '" + uri + "'");
    }
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    String signingRegion = region.or(() -> Optional.ofNullable(System.getenv("AWS_REGION"))).orElse("us-east-1");
    S3ClientBuilder builder = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.of(signingRegion))
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        // Checksums only where S3 requires them: several S3-compatible services reject the newer trailers.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        // Bodies signed whole, never as aws-chunked, which the SDK uses over plain HTTP (an in-cluster MinIO,
        // s3proxy): under load s3proxy closed one connection in ten right after answering a chunk-signed PUT,
        // without saying so, and the JDK's client cannot resend a streamed PUT it then writes into that connection;
        // now and then all four of the SDK's attempts met such a connection. The bodies are byte arrays already, so
        // hashing them first costs nothing extra.
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
    endpoint.ifPresent(e -> builder.endpointOverride(URI.create(e)).forcePathStyle(true));
    // Signs with the same endpoint, region and credentials, locally: a URL costs no request.
    S3Presigner.Builder presigner = S3Presigner.builder()
        .region(Region.of(signingRegion))
        .credentialsProvider(DefaultCredentialsProvider.builder().build());
    endpoint.ifPresent(e -> presigner.endpointOverride(URI.create(e))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
    return new S3VolumeStore(builder.build(), presigner.build(), bucket, prefix);
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key));
      return Optional.of(bytes.asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  @Override
  public void put(String key, byte[] data) {
    s3.putObject(b -> b.bucket(bucket).key(prefix + key), RequestBody.fromBytes(data));
  }

  @Override
  public boolean exists(String key) {
    return objectExists(s3, bucket, prefix + key);
  }

  /** Whether {@code bucket} holds an object under {@code key}; some S3-compatible servers answer 404 bare. */
  static boolean objectExists(S3Client s3, String bucket, String key) {
    try {
      s3.headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public List<String> list(String keyPrefix) {
    List<String> keys = new ArrayList<>();
    for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix))) {
      for (S3Object object : page.contents()) {
        keys.add(object.key().substring(prefix.length()));
      }
    }
    return keys;
  }

  @Override
  public void delete(String key) {
    s3.deleteObject(b -> b.bucket(bucket).key(prefix + key));
  }

  /**
   * The artifact archive of a server using this store: the same bucket and client, under {@code artifacts/} in
   * this store's prefix, a key space that volumes never use.
   */
  public ArtifactArchive artifacts() {
    return new S3ArtifactArchive(s3, presigner, bucket, prefix + "artifacts/", ".jar");
  }

  /**
   * Where a server using this store keeps large payloads: the same bucket and client, under {@code blobs/} in this
   * store's prefix, another key space that volumes never use.
   */
  public ArtifactArchive blobs() {
    return new S3ArtifactArchive(s3, null, bucket, prefix + "blobs/", ".blob");
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix;
  }

  @Override
  public void close() {
    if (presigner != null) {
      presigner.close();
    }
    s3.close();
  }
}
