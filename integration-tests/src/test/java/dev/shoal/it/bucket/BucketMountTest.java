package dev.shoal.it.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.RemoteException;
import dev.shoal.RunOptions;
import dev.shoal.Secret;
import dev.shoal.ShoalException;
import dev.shoal.SpawnedMap;
import dev.shoal.it.apps.BucketApp;
import dev.shoal.it.volume.S3Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Bucket mounts on the embedded engine's process containers, against an S3-compatible store (s3proxy) in the
 * test's JVM: the containers reach it through AWS's NIO provider, with credentials from a named secret.
 */
class BucketMountTest {
  private static S3Endpoint store;
  private static S3Client s3;
  private static AppRun run;

  @BeforeAll
  static void startStoreAndApp() throws Exception {
    store = S3Endpoint.start(BucketApp.BUCKET);
    s3 = store.client();
    put("tree/a.txt", "alpha");
    put("tree/dir/b.txt", "beta");
    put("tree/dir/deeper/c.txt", "gamma");
    put("outside.txt", "not under the prefix");

    Secret.create(BucketApp.CREDENTIALS,
        Map.of("AWS_ACCESS_KEY_ID", S3Endpoint.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Endpoint.SECRET_KEY), true);
    Secret.create(BucketApp.WRONG_CREDENTIALS,
        Map.of("AWS_ACCESS_KEY_ID", "no-such-key", "AWS_SECRET_ACCESS_KEY", "wrong-secret-value-42"), true);
    // Set before BucketApp is initialised: its mounts name the store's endpoint.
    System.setProperty(BucketApp.ENDPOINT_PROPERTY, store.url());
    run = BucketApp.app.run();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (run != null) {
        run.close();
      }
    } finally {
      try {
        if (s3 != null) {
          s3.close();
        }
      } finally {
        if (store != null) {
          store.close();
        }
      }
    }
  }

  @Test
  void aFunctionReadsATreeThroughItsMountAndSeesOnlyItsPrefix() {
    assertThat(BucketApp.tree.remote("walk")).containsExactly(
        "a.txt=alpha", "dir/b.txt=beta", "dir/deeper/c.txt=gamma");
    assertThat(BucketApp.tree.remote("read:dir/deeper/c.txt")).containsExactly("gamma");
  }

  @Test
  void resultsWrittenFromASpawnMapOfAThousandInputsAreInTheBucket() {
    int n = 1_000;
    SpawnedMap job = BucketApp.store.spawnMap(IntStream.range(0, n).boxed().toList());
    await().atMost(Duration.ofSeconds(120)).until(() -> job.progress().succeeded() + job.progress().failed() == n);
    assertThat(job.progress().failed()).isZero();

    // Read back from the store itself, a few requests at a time.
    Map<String, String> written = keys("results/out/").parallelStream().collect(Collectors.toConcurrentMap(
        key -> key, key -> s3.getObjectAsBytes(b -> b.bucket(BucketApp.BUCKET).key(key)).asUtf8String()));
    assertThat(written).hasSize(n);
    IntStream.range(0, n).forEach(i ->
        assertThat(written).containsEntry("results/out/" + i + ".txt", "square=" + (i * i)));
  }

  @Test
  void aReadOnlyMountRefusesWritesNamingTheMount() {
    assertThatThrownBy(() -> BucketApp.tree.remote("write:new.txt"))
        .isInstanceOf(RemoteException.class)
        .hasMessageContaining("bucket mount 'tree'")
        .hasMessageContaining("is read-only");
    assertThat(keys("tree/")).containsExactlyInAnyOrder("tree/a.txt", "tree/dir/b.txt", "tree/dir/deeper/c.txt");
  }

  @Test
  void aPathThatLeavesThePrefixIsRefused() {
    assertThatThrownBy(() -> BucketApp.tree.remote("read:../outside.txt"))
        .isInstanceOf(RemoteException.class)
        .hasMessageContaining("leaves bucket mount 'tree'")
        .hasMessageContaining("only the keys under its prefix")
        .hasMessageNotContaining("not under the prefix");
    assertThatThrownBy(() -> BucketApp.tree.remote("read:dir/../../outside.txt"))
        .isInstanceOf(RemoteException.class)
        .hasMessageContaining("leaves bucket mount 'tree'");
  }

  @Test
  void credentialsTheStoreRefusesFailTheCallNamingTheirSecret() {
    assertThatThrownBy(() -> BucketApp.withWrongCredentials.remote(""))
        .isInstanceOf(ShoalException.class)
        .hasMessageContaining("bucket mount 'refused'")
        .hasMessageContaining("the store refused the credentials AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY of secret '"
            + BucketApp.WRONG_CREDENTIALS + "'")
        .hasMessageNotContaining("wrong-secret-value-42")
        .hasMessageNotContaining("no-such-key");
  }

  @Test
  void aThreadContainerRefusesToMountABucket() {
    try (AppRun threads = BucketApp.threadsApp.run(RunOptions.builder().backend(Backend.THREADS).build())) {
      assertThatThrownBy(() -> BucketApp.readInThread.remote("a.txt"))
          .isInstanceOf(ShoalException.class)
          .hasMessageContaining("bucket mount 'tree' of function 'readInThread' needs process or pod containers");
    }
  }

  private static void put(String key, String content) {
    s3.putObject(b -> b.bucket(BucketApp.BUCKET).key(key), RequestBody.fromString(content));
  }

  private static List<String> keys(String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(BucketApp.BUCKET).prefix(prefix)).contents().stream()
        .map(S3Object::key).toList();
  }
}
