package dev.shoal.it.volume;

import dev.shoal.internal.controlplane.volume.LocalVolumeStore;
import dev.shoal.internal.controlplane.volume.VolumeStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The volume contract on a local directory, as the embedded engine and a single-machine server keep volumes. */
class LocalVolumeStoreTest extends VolumeStoreContract {
  @TempDir
  Path dir;

  @Override
  VolumeStore newStore() {
    return new LocalVolumeStore(dir);
  }
}
