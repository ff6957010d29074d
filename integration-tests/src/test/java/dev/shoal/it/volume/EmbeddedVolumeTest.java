package dev.shoal.it.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.RunOptions;
import dev.shoal.it.apps.VolumeApp;
import java.nio.charset.StandardCharsets;
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
}
