package dev.shoal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.client.volume.VolumePaths;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Path segments that no file system could hold are refused where they enter the SDK, before anything is sent. */
class VolumePathRulesTest {
  /** 200 characters, 400 bytes in UTF-8. */
  private static final String ACCENTS = "é".repeat(200);
  private final Volume vol = Volume.fromName("rules", true);

  @Test
  void segmentOverTwoHundredFiftyFiveBytesIsRefusedNamingItsLengthAndTheLimit() {
    String path = "dir/" + ACCENTS + "/file.txt";

    assertThat(VolumePaths.pathProblem("rules", path))
        .startsWith("path '" + path + "' in volume 'rules' has a segment of 400 bytes in UTF-8 ('ééé")
        .endsWith("…'); a segment may have at most 255 bytes, the most a file system holds in one file name");
  }

  @Test
  void segmentsUpToTwoHundredFiftyFiveBytesAreAccepted() {
    assertThat(VolumePaths.pathProblem("rules", "a".repeat(255))).isNull();
    assertThat(VolumePaths.pathProblem("rules", "é".repeat(127) + "a")).as("255 bytes").isNull();
    assertThat(VolumePaths.pathProblem("rules", "a".repeat(256))).contains("256 bytes");
    assertThat(VolumePaths.pathProblem("rules", "é".repeat(128))).contains("256 bytes");
  }

  @Test
  void everyClientOperationRefusesAnOverLongSegmentBeforeReachingAnEngine() {
    String path = ACCENTS + ".txt";
    String rule = "a segment may have at most 255 bytes";

    assertThatThrownBy(() -> vol.write(path, new byte[] {1})).isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("404 bytes").hasMessageContaining(rule);
    assertThatThrownBy(() -> vol.read(path)).isInstanceOf(InvalidOptionException.class).hasMessageContaining(rule);
    assertThatThrownBy(() -> vol.remove(path)).isInstanceOf(InvalidOptionException.class).hasMessageContaining(rule);
    assertThatThrownBy(() -> vol.list(path + "/")).isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining(rule);
  }

  @Test
  void aMountRefusesToResolveAnOverLongSegment() {
    assertThatThrownBy(() -> VolumePaths.resolve(Path.of("/tmp/mount"), "rules", ACCENTS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("400 bytes");
  }
}
