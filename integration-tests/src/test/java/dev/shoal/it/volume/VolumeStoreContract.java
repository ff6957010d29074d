package dev.shoal.it.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.controlplane.volume.VolumeStore;
import dev.shoal.internal.controlplane.volume.Volumes;
import dev.shoal.protocol.v1.VolumeDirEntry;
import dev.shoal.protocol.v1.VolumeFile;
import dev.shoal.protocol.v1.VolumeManifest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every volume store must give {@link Volumes}: whole versions, commits that never lose another writer's
 * files, and paths that stay inside their volume. Each store's test class extends this one.
 */
abstract class VolumeStoreContract {
  private Volumes volumes;

  abstract VolumeStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    volumes = new Volumes(newStore(), Clock.systemUTC());
  }

  @AfterEach
  void close() {
    volumes.close();
  }

  @Test
  void createListAndDelete() {
    assertThat(volumes.ensure("alpha", true)).isTrue();
    assertThat(volumes.ensure("alpha", true)).isFalse();
    volumes.ensure("beta", true);
    assertThat(volumes.list()).extracting(v -> v.getName()).containsExactly("alpha", "beta");
    volumes.delete("alpha");
    assertThat(volumes.list()).extracting(v -> v.getName()).containsExactly("beta");
    assertThat(code(() -> volumes.manifest("alpha"))).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void missingVolumeIsNotFoundUnlessCreated() {
    assertThatThrownBy(() -> volumes.ensure("nope", false))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("no volume named 'nope'");
  }

  @Test
  void invalidNamesAreRefusedWithTheRule() {
    for (String bad : new String[] {"", "-x", "a/b", "..", "x".repeat(64)}) {
      assertThatThrownBy(() -> volumes.ensure(bad, true)).hasMessageContaining("a volume name is 1..63");
    }
  }

  @Test
  void commitMakesOneNewVersionAndReadsSeeIt() {
    volumes.ensure("v", true);
    long version = commitText("v", "a/one.txt", "1", "a/two.txt", "2");
    assertThat(version).isEqualTo(1);
    VolumeManifest manifest = volumes.manifest("v");
    assertThat(manifest.getVersion()).isEqualTo(1);
    assertThat(manifest.getFilesList()).extracting(VolumeFile::getPath).containsExactly("a/one.txt", "a/two.txt");
    assertThat(volumes.read("v", "a/two.txt").getData().toStringUtf8()).isEqualTo("2");
    assertThat(volumes.listDir("v", "")).extracting(VolumeDirEntry::getPath, VolumeDirEntry::getDirectory)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", true));
    assertThat(volumes.listDir("v", "a/")).extracting(VolumeDirEntry::getPath)
        .containsExactly("a/one.txt", "a/two.txt");
  }

  @Test
  void removingADirectoryRemovesWhatIsUnderIt() {
    volumes.ensure("v", true);
    commitText("v", "d/x", "x", "d/e/y", "y", "dz", "z");
    volumes.commit("v", List.of(), List.of("d"));
    assertThat(volumes.manifest("v").getFilesList()).extracting(VolumeFile::getPath).containsExactly("dz");
  }

  @Test
  void sameFileLastCommitWins() {
    volumes.ensure("v", true);
    commitText("v", "f", "first");
    commitText("v", "f", "second");
    assertThat(volumes.read("v", "f").getData().toStringUtf8()).isEqualTo("second");
  }

  @Test
  void pathsThatLeaveTheVolumeAreRefused() {
    volumes.ensure("v", true);
    for (String bad : new String[] {"../x", "/etc/passwd", "a/../../x", "a//b", "./a", "a\\b"}) {
      assertThatThrownBy(() -> commitText("v", bad, "x"))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("path '" + bad + "' in volume 'v'");
    }
    assertThat(volumes.manifest("v").getFilesCount()).isZero();
  }

  @Test
  void aCommitNamingContentNeverUploadedIsRefused() {
    volumes.ensure("v", true);
    VolumeFile ghost = VolumeFile.newBuilder().setPath("g").setHash("0".repeat(64)).setSize(1).build();
    assertThatThrownBy(() -> volumes.commit("v", List.of(ghost), List.of()))
        .hasMessageContaining("which was not uploaded");
  }

  @Test
  void concurrentWritersOfDistinctFilesLoseNothing() throws Exception {
    volumes.ensure("v", true);
    int writers = 6;
    int each = 15;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < each; i++) {
            commitText("v", "w" + writer + "/" + i, writer + ":" + i);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    VolumeManifest manifest = volumes.manifest("v");
    assertThat(manifest.getFilesCount()).isEqualTo(writers * each);
    assertThat(manifest.getVersion()).isEqualTo(writers * each);
  }

  @Test
  void aReaderNeverSeesPartOfACommit() throws Exception {
    volumes.ensure("v", true);
    int files = 8;
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger torn = new AtomicInteger();
    AtomicInteger reads = new AtomicInteger();
    Thread reader = Thread.ofPlatform().start(() -> {
      while (writing.get()) {
        VolumeManifest m = volumes.manifest("v");
        if (m.getFilesCount() > 0) {
          reads.incrementAndGet();
          // Every file of one commit has the same content, hence the same hash.
          if (m.getFilesList().stream().map(VolumeFile::getHash).distinct().count() != 1
              || m.getFilesCount() != files) {
            torn.incrementAndGet();
          }
        }
      }
    });
    for (int generation = 0; generation < 40; generation++) {
      String[] pairs = new String[files * 2];
      for (int f = 0; f < files; f++) {
        pairs[2 * f] = "gen/" + f;
        pairs[2 * f + 1] = "generation " + generation;
      }
      commitText("v", pairs);
    }
    writing.set(false);
    reader.join();
    assertThat(torn.get()).isZero();
    assertThat(reads.get()).isPositive();
  }

  /** Uploads each (path, text) pair's content and commits them together. */
  long commitText(String volume, String... pathsAndTexts) {
    List<VolumeFile> puts = new ArrayList<>();
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      byte[] data = pathsAndTexts[i + 1].getBytes(StandardCharsets.UTF_8);
      String hash = sha256(data);
      volumes.putBlob(volume, hash, data);
      puts.add(VolumeFile.newBuilder().setPath(pathsAndTexts[i]).setHash(hash).setSize(data.length)
          .setModifiedMs(System.currentTimeMillis()).build());
    }
    return volumes.commit(volume, puts, List.of());
  }

  private static Status.Code code(Runnable r) {
    try {
      r.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
