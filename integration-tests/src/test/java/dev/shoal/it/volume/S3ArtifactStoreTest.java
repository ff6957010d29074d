package dev.shoal.it.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.controlplane.ArtifactStore;
import dev.shoal.internal.server.S3VolumeStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifact store with its artifacts in an S3-compatible bucket (s3proxy, in this JVM) and a local cache. */
class S3ArtifactStoreTest {
  private static S3Endpoint s3;

  @TempDir
  Path cache;

  @TempDir
  Path otherCache;

  private S3VolumeStore bucket;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3Endpoint.start();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @BeforeEach
  void openBucket() {
    bucket = s3.newStore();
  }

  @AfterEach
  void closeBucket() {
    bucket.close();
  }

  @Test
  void upload_finished_isInTheBucketAndTheCache() throws Exception {
    byte[] jar = "the bytes of a jar".getBytes(StandardCharsets.UTF_8);
    String hash = sha256(jar);
    ArtifactStore store = new ArtifactStore(cache, bucket.artifacts());

    upload(store, hash, jar);

    assertThat(bucket.exists("artifacts/" + hash + ".jar")).isTrue();
    assertThat(bucket.get("artifacts/" + hash + ".jar")).hasValueSatisfying(v -> assertThat(v).isEqualTo(jar));
    assertThat(Files.readAllBytes(cache.resolve(hash + ".jar"))).isEqualTo(jar);
  }

  @Test
  void upload_hashMismatch_isRejectedAndNothingIsStored() throws Exception {
    byte[] jar = "what was sent".getBytes(StandardCharsets.UTF_8);
    String claimed = sha256("what was claimed".getBytes(StandardCharsets.UTF_8));
    ArtifactStore store = new ArtifactStore(cache, bucket.artifacts());

    assertThatThrownBy(() -> upload(store, claimed, jar))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(claimed);

    assertThat(bucket.list("artifacts/")).isEmpty();
    assertThat(store.has(claimed)).isFalse();
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void path_emptyCache_fetchesFromTheBucket() throws Exception {
    byte[] jar = "deployed yesterday".getBytes(StandardCharsets.UTF_8);
    String hash = sha256(jar);
    upload(new ArtifactStore(cache, bucket.artifacts()), hash, jar);
    ArtifactStore fresh = new ArtifactStore(otherCache, bucket.artifacts());

    assertThat(fresh.has(hash)).isTrue();
    Path fetched = fresh.path(hash);

    assertThat(fetched).isEqualTo(otherCache.resolve(hash + ".jar"));
    assertThat(Files.readAllBytes(fetched)).isEqualTo(jar);
    try (Stream<Path> files = Files.list(otherCache)) {
      assertThat(files).containsExactly(fetched); // no temporary file left behind
    }
  }

  @Test
  void path_corruptObject_isRefusedAndNotCached() throws Exception {
    String hash = sha256("the real content".getBytes(StandardCharsets.UTF_8));
    bucket.put("artifacts/" + hash + ".jar", "something else".getBytes(StandardCharsets.UTF_8));
    ArtifactStore store = new ArtifactStore(cache, bucket.artifacts());

    assertThatThrownBy(() -> store.path(hash))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(hash)
        .hasMessageContaining("corrupt");
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void path_unknownArtifact_saysWhereItLooked() throws Exception {
    String hash = sha256("never uploaded".getBytes(StandardCharsets.UTF_8));
    ArtifactStore store = new ArtifactStore(cache, bucket.artifacts());

    assertThat(store.has(hash)).isFalse();
    assertThatThrownBy(() -> store.path(hash))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining(hash)
        .hasMessageContaining(bucket.describe());
  }

  @Test
  void upload_bucketUnreachable_failsNamingTheHashAndBucketAndCachesNothing() throws Exception {
    byte[] jar = "no bucket for me".getBytes(StandardCharsets.UTF_8);
    String hash = sha256(jar);
    try (S3VolumeStore missing = S3VolumeStore.open("s3://no-such-bucket/p", Optional.of(s3.url()),
        Optional.empty())) {
      ArtifactStore store = new ArtifactStore(cache, missing.artifacts());

      assertThatThrownBy(() -> upload(store, hash, jar))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(hash)
          .hasMessageContaining("s3://no-such-bucket/p/artifacts/");
    }
    try (Stream<Path> files = Files.list(cache)) {
      assertThat(files).isEmpty();
    }
  }

  private static void upload(ArtifactStore store, String hash, byte[] content) {
    ArtifactStore.Upload upload = store.upload(hash);
    upload.write(content);
    upload.finish();
  }

  private static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
