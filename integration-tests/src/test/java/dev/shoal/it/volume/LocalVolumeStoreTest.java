package dev.shoal.it.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.volume.LocalVolumeStore;
import dev.shoal.internal.controlplane.volume.VolumeStore;
import dev.shoal.internal.controlplane.volume.Volumes;
import dev.shoal.protocol.v1.VolumeFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The volume contract on a local directory, as the embedded engine and a single-machine server keep volumes. */
class LocalVolumeStoreTest extends VolumeStoreContract {
  @TempDir
  Path dir;

  @Override
  VolumeStore newStore() {
    return new LocalVolumeStore(dir);
  }

  /** Every embedded engine of a machine shares ~/.shoal/volumes: engines that commit at once lose nothing. */
  @Test
  void twoEnginesSharingADirectoryLoseNoCommit() throws Exception {
    Volumes first = new Volumes(new LocalVolumeStore(dir), Clock.systemUTC());
    Volumes second = new Volumes(new LocalVolumeStore(dir), Clock.systemUTC());
    first.ensure("shared", true);
    int each = 40;
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<Void> a = CompletableFuture.runAsync(() -> writeMany(first, "a", each, go));
    CompletableFuture<Void> b = CompletableFuture.runAsync(() -> writeMany(second, "b", each, go));
    go.countDown();
    CompletableFuture.allOf(a, b).get();
    assertThat(first.manifest("shared").getFilesCount()).isEqualTo(2 * each);
    assertThat(second.manifest("shared").getVersion()).isEqualTo(2 * each);
  }

  private static void writeMany(Volumes volumes, String prefix, int count, CountDownLatch go) {
    try {
      go.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    for (int i = 0; i < count; i++) {
      byte[] data = (prefix + i).getBytes(StandardCharsets.UTF_8);
      String hash = sha256(data);
      volumes.putBlob("shared", hash, data);
      volumes.commit("shared", List.of(VolumeFile.newBuilder().setPath(prefix + "/" + i).setHash(hash)
          .setSize(data.length).build()), List.of());
    }
  }
}
