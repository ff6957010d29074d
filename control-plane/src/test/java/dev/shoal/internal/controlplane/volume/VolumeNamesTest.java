package dev.shoal.internal.controlplane.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.protocol.v1.VolumeFile;
import dev.shoal.internal.controlplane.BoundedQuote;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control plane refuses path segments that no file system could hold, whatever a client checked. */
class VolumeNamesTest {
  private static final String RULE =
      "a segment may have at most 255 bytes, the most a file system holds in one file name";

  @TempDir
  Path dir;

  @Test
  void segmentOverTwoHundredFiftyFiveBytesIsRefusedNamingItsLengthAndTheLimit() {
    String path = "out/" + "é".repeat(200);

    assertThatThrownBy(() -> VolumeNames.path("v", path))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
            .isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("path " + BoundedQuote.of(path) + " in volume 'v' has a segment of 400 bytes in UTF-8")
        .hasMessageContaining(RULE);
    assertThat(VolumeNames.problem("out/" + "a".repeat(255))).isNull();
    assertThat(VolumeNames.problem("a".repeat(256) + "/x")).contains("256 bytes");
  }

  @Test
  void commitReadAndListRefuseAnOverLongSegmentAndTheVolumeIsUnchanged() {
    try (Volumes volumes = new Volumes(new LocalVolumeStore(dir), Clock.systemUTC())) {
      volumes.ensure("v", true);
      byte[] data = "x".getBytes(StandardCharsets.UTF_8);
      String hash = Volumes.sha256(data);
      volumes.putBlob("v", hash, data);
      String path = "é".repeat(200) + ".txt";
      VolumeFile file = VolumeFile.newBuilder().setPath(path).setHash(hash).setSize(1).build();

      assertThatThrownBy(() -> volumes.commit("v", List.of(file), List.of())).hasMessageContaining(RULE);
      assertThatThrownBy(() -> volumes.commit("v", List.of(), List.of(path))).hasMessageContaining(RULE);
      assertThatThrownBy(() -> volumes.read("v", path)).hasMessageContaining(RULE);
      assertThatThrownBy(() -> volumes.listDir("v", path)).hasMessageContaining(RULE);
      assertThat(volumes.manifest("v").getVersion()).isZero();
    }
  }
}
