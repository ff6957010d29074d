package dev.shoal.it.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.Secret;
import dev.shoal.examples.Pipeline;
import dev.shoal.it.volume.S3Endpoint;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The README's pipeline example ({@code examples/.../Pipeline.java}) against an S3-compatible store in this JVM:
 * small documents through one variant's pool and a large one through the other's, counted word by word.
 */
class PipelineExampleTest {
  private static S3Endpoint store;

  @BeforeAll
  static void startStore() throws Exception {
    store = S3Endpoint.start(Pipeline.BUCKET);
    try (S3Client s3 = store.client()) {
      for (int i = 0; i < 12; i++) {
        String key = "incoming/small/doc" + i + ".txt";
        s3.putObject(b -> b.bucket(Pipeline.BUCKET).key(key),
            RequestBody.fromString("the quick fox\nthe lazy dog\n"));
      }
      // Past the example's threshold of 1,000,000 bytes: 200,000 lines of "big data\n".
      s3.putObject(b -> b.bucket(Pipeline.BUCKET).key("incoming/large.txt"),
          RequestBody.fromString("big data\n".repeat(200_000)));
    }
    Secret.create(Pipeline.CREDENTIALS,
        Map.of("AWS_ACCESS_KEY_ID", S3Endpoint.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Endpoint.SECRET_KEY), true);
    System.setProperty(Pipeline.ENDPOINT_PROPERTY, store.url());
  }

  @AfterAll
  static void stopStore() throws Exception {
    System.clearProperty(Pipeline.ENDPOINT_PROPERTY);
    if (store != null) {
      store.close();
    }
  }

  @Test
  void countsEveryDocumentsWordsThroughBothVariants() {
    Map<String, Integer> total = Pipeline.run();

    assertThat(total).containsEntry("the", 24).containsEntry("fox", 12).containsEntry("dog", 12)
        .containsEntry("big", 200_000).containsEntry("data", 200_000);
  }
}
