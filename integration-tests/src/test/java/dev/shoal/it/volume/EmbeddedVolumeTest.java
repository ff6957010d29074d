package dev.shoal.it.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.RunOptions;
import dev.shoal.VolumeEntry;
import dev.shoal.internal.controlplane.volume.LocalVolumeStore;
import dev.shoal.internal.controlplane.volume.VolumeStore;
import dev.shoal.internal.controlplane.volume.Volumes;
import dev.shoal.it.apps.VolumeApp;
import dev.shoal.protocol.v1.VolumeFile;
import dev.shoal.protocol.v1.VolumeManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Volumes on the embedded engine, kept in a local directory. */
class EmbeddedVolumeTest extends VolumeMountContract {
  @Test
  void threadContainersInOneJvmEachHaveTheirOwnMount() {
    String path = "threads-" + UUID.randomUUID().toString().substring(0, 8) + "/x.txt";
    try (AppRun run = VolumeApp.app.run(RunOptions.builder().backend(Backend.THREADS).build())) {
      assertThat(VolumeApp.read.remote(path, false)).endsWith(":" + VolumeApp.ABSENT);
      VolumeApp.write.remote(path, "threads");
      assertThat(VolumeApp.read.remote(path, false)).endsWith(":" + VolumeApp.ABSENT);
      assertThat(VolumeApp.readElsewhere.remote(path, false)).isEqualTo("threads");
      assertThat(VolumeApp.read.remote(path, true)).endsWith(":threads");
    }
    assertThat(new String(VolumeApp.vol.read(path), StandardCharsets.UTF_8)).isEqualTo("threads");
  }

  /**
   * Files committed before the rule of 255 bytes a segment existed, which no container can make in its mount, stay
   * in the volume when containers that mount it commit other changes, reload, and commit again as they stop.
   */
  @Test
  void filesAContainerCannotMakeSurviveItsCommitsOfOtherChanges() throws Exception {
    String dir = "long-" + UUID.randomUUID().toString().substring(0, 8);
    String longName = dir + "/" + "é".repeat(200) + ".txt";
    String inLongDirectory = dir + "/" + "é".repeat(200) + "/inner.txt";
    VolumeApp.vol.write(dir + "/seed.txt", "seed".getBytes(StandardCharsets.UTF_8));
    Map<String, String> legacy = new LinkedHashMap<>();
    legacy.put(longName, "written before the rule");
    legacy.put(inLongDirectory, "also written before the rule");
    commitBelowTheChecks(VolumeApp.vol.name(), legacy);

    try (AppRun run = VolumeApp.app.run()) {
      VolumeApp.write.remote(dir + "/other.txt", "other");
      assertThat(VolumeApp.read.remote(dir + "/other.txt", true)).endsWith(":other");
      assertThat(VolumeApp.readElsewhere.remote(dir + "/seed.txt", false)).isEqualTo("seed");
    }

    assertThat(VolumeApp.vol.list(dir)).extracting(VolumeEntry::path)
        .containsExactlyInAnyOrder(dir + "/seed.txt", dir + "/other.txt", longName, dir + "/" + "é".repeat(200));
    try (Volumes volumes = new Volumes(new LocalVolumeStore(volumesDirectory()), Clock.systemUTC())) {
      Map<String, String> hashes = new LinkedHashMap<>();
      volumes.manifest(VolumeApp.vol.name()).getFilesList().forEach(f -> hashes.put(f.getPath(), f.getHash()));
      legacy.forEach((path, text) -> assertThat(hashes).containsEntry(path, sha256(bytes(text))));
    }
  }

  private static Path volumesDirectory() {
    return Path.of(System.getProperty("shoal.volumesDir"));
  }

  /**
   * Commits files straight to the embedded engine's store, past the control plane's checks, as a volume written
   * before a check existed holds them: with the store's lock, its blobs, a new manifest and a new head.
   */
  private static void commitBelowTheChecks(String volume, Map<String, String> files) throws Exception {
    VolumeStore store = new LocalVolumeStore(volumesDirectory());
    String data = "data/" + volume + "/";
    try (VolumeStore.Lock held = store.lock(volume)) {
      long head = Long.parseLong(new String(store.get(data + "head").orElseThrow(), StandardCharsets.US_ASCII).strip());
      VolumeManifest.Builder next = VolumeManifest.parseFrom(store.get(manifestKey(data, head)).orElseThrow())
          .toBuilder().setVersion(head + 1);
      for (Map.Entry<String, String> file : files.entrySet()) {
        byte[] content = bytes(file.getValue());
        String hash = sha256(content);
        store.put(data + "blobs/" + hash, content);
        next.addFiles(VolumeFile.newBuilder().setPath(file.getKey()).setHash(hash).setSize(content.length)
            .setModifiedMs(System.currentTimeMillis()));
      }
      store.put(manifestKey(data, head + 1), next.build().toByteArray());
      store.put(data + "head", Long.toString(head + 1).getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static String manifestKey(String data, long version) {
    return data + "manifests/" + String.format("%020d", version);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
