package dev.shoal.it.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.AppRun;
import dev.shoal.Args;
import dev.shoal.FunctionCall;
import dev.shoal.InvalidOptionException;
import dev.shoal.NotFoundException;
import dev.shoal.Volume;
import dev.shoal.VolumeEntry;
import dev.shoal.internal.client.Engines;
import dev.shoal.it.apps.VolumeApp;
import dev.shoal.protocol.v1.DeleteVolumeRequest;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes as containers (real processes) and clients use them. Each test works in a directory of its own in the
 * app's volume. Subclasses choose the engine, and so the store: the embedded engine's local directory, or a
 * server's S3 bucket.
 */
abstract class VolumeMountContract {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private String dir;

  @TempDir
  Path outside;

  @BeforeEach
  void freshDirectory() {
    dir = "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aCommitIsSeenByANewContainerAndByReloadButNotBeforeIt() {
    try (AppRun run = VolumeApp.app.run()) {
      String path = dir + "/note.txt";
      String[] first = VolumeApp.read.remote(path, false).split(":", 2); // the reader mounts now
      assertThat(first[1]).isEqualTo(VolumeApp.ABSENT);
      String reader = first[0];
      VolumeApp.write.remote(path, "hello");
      assertThat(VolumeApp.readElsewhere.remote(path, false)).isEqualTo("hello");
      assertThat(VolumeApp.read.remote(path, false)).as("the same container, before reload")
          .isEqualTo(reader + ":" + VolumeApp.ABSENT);
      assertThat(VolumeApp.read.remote(path, true)).as("the same container, after reload")
          .isEqualTo(reader + ":hello");
      assertThat(new String(VolumeApp.vol.read(path), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void aClientWriteIsSeenByAContainerAfterReload() {
    try (AppRun run = VolumeApp.app.run()) {
      String path = dir + "/from-client.txt";
      assertThat(VolumeApp.read.remote(path, false)).endsWith(":" + VolumeApp.ABSENT);
      VolumeApp.vol.write(path, "from the client".getBytes(StandardCharsets.UTF_8));
      assertThat(VolumeApp.read.remote(path, true)).endsWith(":from the client");
    }
  }

  @Test
  void aReaderNeverSeesPartOfACommit() {
    try (AppRun run = VolumeApp.app.run()) {
      int generations = 30;
      FunctionCall<String> watcher = VolumeApp.watchGenerations.spawn(dir, generations);
      VolumeApp.writeGenerations.remote(dir, generations);
      String report = watcher.get(WAIT);
      assertThat(report).startsWith("torn=0 ").contains(Integer.toString(generations));
    }
  }

  @Test
  void manyWritersOfDistinctFilesLoseNone() {
    int files = 120;
    try (AppRun run = VolumeApp.app.run()) {
      List<Integer> written = VolumeApp.writeOne.starmap(
          IntStream.range(0, files).mapToObj(i -> Args.of(dir, i)).toList()).toList();
      assertThat(written).hasSize(files);
    }
    List<VolumeEntry> entries = VolumeApp.vol.list(dir);
    assertThat(entries).hasSize(files).allSatisfy(e -> assertThat(e.directory()).isFalse());
    assertThat(new String(VolumeApp.vol.read(dir + "/77.json"), StandardCharsets.UTF_8)).isEqualTo("{\"i\": 77}");
  }

  @Test
  void aContainerThatStopsNormallyCommitsWhatItWrote() {
    int files = 40;
    try (AppRun run = VolumeApp.app.run()) {
      VolumeApp.writeUncommitted.starmap(IntStream.range(0, files).mapToObj(i -> Args.of(dir, i)).toList()).toList();
    }
    // Closing the run stopped the containers, each committing on its way out.
    assertThat(VolumeApp.vol.list(dir)).hasSize(files);
  }

  @Test
  void pathsThatLeaveTheVolumeAreRefused() throws Exception {
    for (String bad : new String[] {"../escape.txt", "/etc/escape.txt", dir + "/../../escape.txt"}) {
      assertThatThrownBy(() -> VolumeApp.vol.write(bad, new byte[] {1}))
          .isInstanceOf(InvalidOptionException.class)
          .hasMessageContaining("path '" + bad + "' in volume 'it-volume'");
    }
    assertThatThrownBy(() -> Volume.fromName("no/slashes", true))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageContaining("a volume name is 1..63 letters");
    Path secret = Files.writeString(outside.resolve("secret.txt"), "not for the volume");
    try (AppRun run = VolumeApp.app.run()) {
      assertThat(VolumeApp.linkOut.remote(dir, secret.toString()))
          .contains("is a symbolic link to " + secret.toRealPath())
          .contains("outside the volume");
    }
    assertThatThrownBy(() -> VolumeApp.vol.list(dir)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aVolumeInUseCannotBeDeleted() {
    VolumeServiceGrpc.VolumeServiceBlockingStub volumes =
        VolumeServiceGrpc.newBlockingStub(Engines.current().channel());
    try (AppRun run = VolumeApp.app.run()) {
      assertThatThrownBy(() -> volumes.deleteVolume(DeleteVolumeRequest.newBuilder().setName("it-volume").build()))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("FAILED_PRECONDITION")
          .hasMessageContaining("mounted by active app volume-app");
    }
  }

  @Test
  void missingVolumeWithoutCreateIsNotFound() {
    Volume missing = Volume.fromName("never-created-" + dir, false);
    assertThatThrownBy(() -> missing.read("x")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no volume named 'never-created-" + dir + "'");
  }
}
