package dev.shoal.internal.controlplane.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.shoal.internal.controlplane.ArtifactArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
  private static final Duration RETENTION = Duration.ofDays(7);
  private static final Duration PIN = Duration.ofMillis(BlobLedger.PIN_MILLIS);
  private final MovableClock clock = new MovableClock();

  @TempDir
  Path dir;

  private static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  /** Uploads in two chunks, as BlobService does. */
  private static String put(BlobStore store, byte[] content) throws Exception {
    String hash = sha256(content);
    BlobStore.Upload upload = store.upload(hash, content.length);
    upload.write(ByteString.copyFrom(content, 0, content.length / 2));
    upload.write(ByteString.copyFrom(content, content.length / 2, content.length - content.length / 2));
    upload.finish();
    return hash;
  }

  private static byte[] read(BlobStore store, String hash) throws IOException {
    try (InputStream in = store.open(hash)) {
      return in.readAllBytes();
    }
  }

  @Test
  void uploadIsKeptOnlyWhenItsContentMatchesTheHashAndSizeItAnnounced() throws Exception {
    BlobStore store = BlobStore.inDirectory(dir, clock, RETENTION);
    byte[] content = "a large argument".getBytes(StandardCharsets.UTF_8);
    String hash = sha256(content);

    BlobStore.Upload wrongContent = store.upload(hash, content.length);
    wrongContent.write(ByteString.copyFromUtf8("another argument"));
    assertThatThrownBy(wrongContent::finish)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the upload claimed blob " + hash + " but its content hashes to");
    BlobStore.Upload tooLong = store.upload(hash, 3);
    assertThatThrownBy(() -> tooLong.write(ByteString.copyFrom(content)))
        .hasMessageContaining("announced 3 bytes and sent more");
    tooLong.abort();
    BlobStore.Upload tooShort = store.upload(hash, content.length + 1);
    tooShort.write(ByteString.copyFrom(content));
    assertThatThrownBy(tooShort::finish).hasMessageContaining("announced 17 bytes and sent 16");
    assertThatThrownBy(() -> store.upload("not-a-hash", 3))
        .hasMessageContaining("a blob is named by its SHA-256 in 64 lower-case hex digits, was 'not-a-hash'");
    assertThat(store.find(hash)).isFalse();
    assertThatThrownBy(() -> store.open(hash))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("blob " + hash + " is not in");

    assertThat(put(store, content)).isEqualTo(hash);
    assertThat(store.find(hash)).isTrue();
    assertThat(read(store, hash)).isEqualTo(content);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(hash + ".blob");
    }
  }

  @Test
  void sweepDeletesWhatNothingHoldsAndKeepsWhatTheStateStoreNeeds() throws Exception {
    BlobStore store = BlobStore.inDirectory(dir, clock, RETENTION);
    String input = put(store, new byte[] {1});
    String stored = put(store, new byte[] {2});
    String orphan = put(store, new byte[] {3});
    String delivered = put(store, new byte[] {4});
    assertThat(store.holdInput(input)).isTrue();
    store.delivering(delivered);
    assertThat(store.sweep(Set.of())).as("everything is pinned at first").isZero();

    clock.advance(PIN);
    assertThat(store.sweep(Set.of(stored))).isEqualTo(1);
    assertThat(store.has(orphan)).isFalse();
    assertThat(List.of(input, stored, delivered)).allMatch(store::has);

    store.releaseInput(input);
    store.delivered(delivered);
    clock.advance(PIN);
    assertThat(store.sweep(Set.of(stored))).isEqualTo(2);
    assertThat(store.count()).isEqualTo(1);
    clock.advance(PIN);
    assertThat(store.sweep(Set.of())).isEqualTo(1);
    assertThat(store.count()).isZero();
  }

  @Test
  void blobsFoundAtStartArePinnedLikeNewUploads() throws Exception {
    String hash = put(BlobStore.inDirectory(dir, clock, RETENTION), new byte[] {5, 6});
    Files.writeString(dir.resolve("upload-1.part"), "an upload cut short by the last process's end");
    BlobStore restarted = BlobStore.inDirectory(dir, clock, RETENTION);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(hash + ".blob");
    }
    assertThat(restarted.sweep(Set.of())).isZero();
    clock.advance(PIN);
    assertThat(restarted.sweep(Set.of(hash))).as("a stored call's argument").isZero();
    assertThat(restarted.sweep(Set.of())).isEqualTo(1);
  }

  @Test
  void temporaryStoreDeletesItsDirectoryWhenClosed() throws Exception {
    BlobStore store = BlobStore.temporary(clock, RETENTION);
    String hash = put(store, new byte[] {7});
    assertThat(store.describe()).contains("shoal-blobs-");
    Path where = Path.of(store.describe());
    assertThat(where.resolve(hash + ".blob")).exists();
    store.close();
    assertThat(where).doesNotExist();
  }

  @Test
  void temporaryDirectoriesOfProcessesThatAreGoneAreDeletedWhenAnotherStoreStarts() throws Exception {
    Process ended = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    ended.waitFor();
    Path ofEnded = Files.createDirectory(dir.resolve("shoal-blobs-" + ended.pid() + "-123"));
    Files.write(ofEnded.resolve("a".repeat(64) + ".blob"), new byte[] {1});
    Path ofLiving = Files.createDirectory(dir.resolve("shoal-blobs-" + ProcessHandle.current().pid() + "-456"));
    Path other = Files.createDirectory(dir.resolve("shoal-blobs-not-a-pid"));

    BlobStore store = BlobStore.temporary(dir, clock, RETENTION);

    assertThat(ofEnded).doesNotExist();
    assertThat(ofLiving).exists();
    assertThat(other).exists();
    assertThat(Path.of(store.describe()).getFileName().toString())
        .startsWith("shoal-blobs-" + ProcessHandle.current().pid() + "-");
    store.close();
  }

  @Test
  void archivedStoreKeepsBlobsInTheArchiveAndNothingLocally() throws Exception {
    MapArchive archive = new MapArchive();
    BlobStore store = BlobStore.archived(dir, archive, clock, RETENTION);
    byte[] content = new byte[300_000];
    new java.util.Random(3).nextBytes(content);
    String hash = put(store, content);
    assertThat(archive.objects).containsOnlyKeys(hash);
    assertThat(dir).isEmptyDirectory();
    assertThat(read(store, hash)).isEqualTo(content);

    BlobStore restarted = BlobStore.archived(dir, archive, clock, RETENTION);
    assertThat(restarted.find(hash)).isTrue();
    clock.advance(PIN);
    assertThat(restarted.sweep(Set.of())).isEqualTo(1);
    assertThat(archive.objects).isEmpty();
  }

  /** An archive in memory, standing for S3. */
  private static final class MapArchive implements ArtifactArchive {
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    @Override
    public boolean contains(String hash) {
      return objects.containsKey(hash);
    }

    @Override
    public void put(String hash, Path file) {
      try {
        objects.put(hash, Files.readAllBytes(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public InputStream open(String hash) {
      byte[] content = objects.get(hash);
      if (content == null) {
        throw new NoSuchElementException(hash);
      }
      return new ByteArrayInputStream(content);
    }

    @Override
    public void delete(String hash) {
      objects.remove(hash);
    }

    @Override
    public List<String> hashes() {
      return new ArrayList<>(objects.keySet());
    }

    @Override
    public String describe() {
      return "memory";
    }
  }
}
