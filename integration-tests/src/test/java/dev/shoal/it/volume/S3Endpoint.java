package dev.shoal.it.volume;

import dev.shoal.internal.server.S3VolumeStore;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * An S3-compatible service in the test's JVM (s3proxy over memory), with one bucket: the one fixture every test
 * that needs S3 starts. The server finds its credentials as it would in production, through the standard AWS
 * chain, here from system properties; a test that writes objects itself uses {@link #client()}.
 */
public final class S3Endpoint implements AutoCloseable {
  public static final String ACCESS_KEY = "shoal-test-access";
  public static final String SECRET_KEY = "shoal-test-secret-0123456789";

  private final S3Proxy proxy;
  private final String bucket;

  private S3Endpoint(S3Proxy proxy, String bucket) {
    this.proxy = proxy;
    this.bucket = bucket;
  }

  /** A service with a bucket of a fresh name. */
  public static S3Endpoint start() throws Exception {
    return start("shoal-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** A service with the named bucket, for an app whose code names its bucket. */
  public static S3Endpoint start(String bucket) throws Exception {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> proxy.getState().equals("STARTED"));
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    S3Endpoint endpoint = new S3Endpoint(proxy, bucket);
    try (S3Client s3 = endpoint.client()) {
      s3.createBucket(b -> b.bucket(bucket));
    } catch (RuntimeException e) {
      proxy.stop();
      throw e;
    }
    return endpoint;
  }

  /**
   * A client of this service with its credentials, for a test's own objects; the caller closes it. Like the
   * server's, it signs bodies whole rather than as aws-chunked (see {@code S3VolumeStore}).
   */
  public S3Client client() {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .endpointOverride(URI.create(url()))
        .forcePathStyle(true)
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
        .build();
  }

  public String bucket() {
    return bucket;
  }

  public String url() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** A store URI of a fresh prefix, so that tests never see each other's volumes. */
  public String storeUri() {
    return "s3://" + bucket + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  S3VolumeStore newStore() {
    return S3VolumeStore.open(storeUri(), Optional.of(url()), Optional.empty());
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
