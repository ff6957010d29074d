package dev.shoal.it.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.Secret;
import dev.shoal.examples.Pipeline;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The README's pipeline example ({@code examples/.../Pipeline.java}) against an S3-compatible store in this JVM:
 * small documents through one variant's pool and a large one through the other's, counted word by word.
 */
class PipelineExampleTest {
  private static final String ACCESS_KEY = "pipeline-access";
  private static final String SECRET_KEY = "pipeline-secret-0123456789";

  private static S3Proxy proxy;

  @BeforeAll
  static void startStore() throws Exception {
    proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> proxy.getState().equals("STARTED"));
    String endpoint = "http://127.0.0.1:" + proxy.getPort();
    try (S3Client s3 = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .endpointOverride(URI.create(endpoint))
        .forcePathStyle(true)
        .build()) {
      s3.createBucket(b -> b.bucket(Pipeline.BUCKET));
      for (int i = 0; i < 12; i++) {
        String key = "incoming/small/doc" + i + ".txt";
        s3.putObject(b -> b.bucket(Pipeline.BUCKET).key(key),
            RequestBody.fromString("the quick fox\nthe lazy dog\n"));
      }
      // Past the example's threshold of 1,000,000 bytes: 200,000 lines of "big data\n".
      s3.putObject(b -> b.bucket(Pipeline.BUCKET).key("incoming/large.txt"),
          RequestBody.fromString("big data\n".repeat(200_000)));
    }
    Secret.create(Pipeline.CREDENTIALS, Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        true);
    System.setProperty(Pipeline.ENDPOINT_PROPERTY, endpoint);
  }

  @AfterAll
  static void stopStore() throws Exception {
    System.clearProperty(Pipeline.ENDPOINT_PROPERTY);
    if (proxy != null) {
      proxy.stop();
    }
  }

  @Test
  void countsEveryDocumentsWordsThroughBothVariants() {
    Map<String, Integer> total = Pipeline.run();

    assertThat(total).containsEntry("the", 24).containsEntry("fox", 12).containsEntry("dog", 12)
        .containsEntry("big", 200_000).containsEntry("data", 200_000);
  }
}
