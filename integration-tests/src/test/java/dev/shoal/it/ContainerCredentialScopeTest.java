package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.AppRun;
import dev.shoal.Deployment;
import dev.shoal.FunctionCall;
import dev.shoal.SpawnedMap;
import dev.shoal.Volume;
import dev.shoal.internal.embedded.EmbeddedEngine;
import dev.shoal.it.apps.ScopeProbeApp;
import dev.shoal.it.apps.ScopeVictimApp;
import dev.shoal.protocol.v1.CallState;
import dev.shoal.protocol.v1.GetCallStatusRequest;
import dev.shoal.protocol.v1.ListVolumesRequest;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import dev.shoal.protocol.v1.StopAppRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a container's own credential reaches, tried from inside real container processes of one app
 * ({@link ScopeProbeApp}) against another app run by the same engine ({@link ScopeVictimApp}): its own app's calls
 * and the volumes mounted into its function, deployed functions and the calls it made on them; nothing else.
 */
class ContainerCredentialScopeTest {
  @TempDir
  Path dir;

  @Test
  void aContainerCannotWaitForCancelCallOrExtendAnotherRunningApp() throws Exception {
    Path release = dir.resolve("release");
    try (AppRun victim = ScopeVictimApp.app.run(); AppRun probe = ScopeProbeApp.app.run()) {
      FunctionCall<String> victimCall = ScopeVictimApp.awaitFile.spawn(release.toString());
      SpawnedMap victimMap = ScopeVictimApp.awaitFile.spawnMap(List.of(release.toString()));
      String victimFunction = EmbeddedEngine.get().controlPlane().functionId("scope-victim", "plusOne").orElseThrow();

      assertThat(ScopeProbeApp.probe.remote("await " + victimCall.id()))
          .startsWith("PERMISSION_DENIED: ClientService/AwaitResult: container ")
          .contains("of app " + probe.appId(), "call " + victimCall.id());
      assertThat(ScopeProbeApp.probe.remote("cancelCall " + victimCall.id()))
          .startsWith("PERMISSION_DENIED: ClientService/CancelCall")
          .contains(victimCall.id());
      assertThat(ScopeProbeApp.probe.remote("cancelMap " + victimMap.id()))
          .startsWith("PERMISSION_DENIED: ClientService/CancelMap")
          .contains("map " + victimMap.id());
      assertThat(ScopeProbeApp.probe.remote("call " + victimFunction))
          .startsWith("PERMISSION_DENIED: ClientService/Call")
          .contains("function " + victimFunction, "of app " + victim.appId());
      assertThat(ScopeProbeApp.probe.remote("register " + victim.appId()))
          .startsWith("PERMISSION_DENIED: ClientService/RegisterFunctions")
          .contains("app " + victim.appId());

      // Its own app's calls are its to wait for.
      FunctionCall<Integer> own = ScopeProbeApp.plusOne.spawn(1);
      assertThat(own.get(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(ScopeProbeApp.probe.remote("await " + own.id())).isEqualTo("allowed");

      // Nothing of the other app was touched: its call and its map still run, and finish.
      var engine = EmbeddedEngine.get().connect().blocking();
      assertThat(engine.getCallStatus(GetCallStatusRequest.newBuilder().setCallId(victimCall.id()).build())
          .getState()).isIn(CallState.PENDING, CallState.RUNNING);
      assertThat(victimMap.progress().cancelled()).isZero();
      Files.writeString(release, "go");
      assertThat(victimCall.get(Duration.ofSeconds(60))).isEqualTo("found");
    }
  }

  @Test
  void aContainerReachesOnlyTheVolumesMountedIntoItsFunction() {
    Volume.fromName(ScopeVictimApp.VOLUME, true).write("probe.txt", "secret".getBytes());
    String unmade = "scope-unmade-" + UUID.randomUUID().toString().substring(0, 8);
    try (AppRun probe = ScopeProbeApp.app.run()) {
      assertThat(ScopeProbeApp.probe.remote("read " + ScopeVictimApp.VOLUME))
          .startsWith("PERMISSION_DENIED: VolumeService/ReadVolumeFile: container ")
          .contains("volume '" + ScopeVictimApp.VOLUME + "'", "not mounted into its function 'probe'");
      assertThat(ScopeProbeApp.probe.remote("create " + unmade))
          .startsWith("PERMISSION_DENIED: VolumeService/EnsureVolume")
          .contains(unmade);
      assertThat(ScopeProbeApp.probe.remote("registerMounting " + probe.appId() + " " + ScopeVictimApp.VOLUME))
          .startsWith("PERMISSION_DENIED: ClientService/RegisterFunctions")
          .contains(ScopeVictimApp.VOLUME);
      // Its own mount it may read: the file is simply not there.
      assertThat(ScopeProbeApp.probe.remote("read " + ScopeProbeApp.MOUNTED)).startsWith("NOT_FOUND");
    }
    assertThat(VolumeServiceGrpc.newBlockingStub(EmbeddedEngine.get().connect().channel())
        .listVolumes(ListVolumesRequest.getDefaultInstance()).getVolumesList())
        .noneMatch(v -> v.getName().equals(unmade));
  }

  @Test
  void aContainerMayCallADeployedFunctionOfAnotherAppAndWaitForTheCallItMade() {
    Deployment deployed = ScopeVictimApp.app.deploy();
    try (AppRun probe = ScopeProbeApp.app.run()) {
      assertThat(ScopeProbeApp.probe.remote("spawnDeployedAndAwait scope-victim/plusOne")).isEqualTo("allowed 42");
    } finally {
      EmbeddedEngine.get().connect().blocking()
          .stopApp(StopAppRequest.newBuilder().setAppId(deployed.appId()).build());
    }
  }
}
