package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.internal.embedded.EmbeddedEngine;
import dev.shoal.it.apps.ScopeProbeApp;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.ListAppsRequest;
import dev.shoal.protocol.v1.StopAppRequest;
import dev.shoal.protocol.v1.VolumeServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded engine's loopback port, tried as another process on the machine would: with the address a
 * container's environment shows, and no credential, a made-up one, or the credential of a container that has died.
 * Every method of every service must answer UNAUTHENTICATED, and nothing may run.
 */
class EmbeddedEngineAuthTest {
  private static final List<ServiceDescriptor> SERVICES = List.of(ClientServiceGrpc.getServiceDescriptor(),
      ContainerServiceGrpc.getServiceDescriptor(), VolumeServiceGrpc.getServiceDescriptor());

  @TempDir
  Path dir;

  @Test
  void everyMethodRefusesACallerWithoutTheEnginesSecretOrALiveContainersCredentialAndNothingRuns()
      throws Exception {
    String[] leaked;
    try (AppRun run = ScopeProbeApp.app.run()) {
      leaked = ScopeProbeApp.probe.remote("credential -").split("\n");
    }
    String target = leaked[0];
    String deadContainer = "container:" + leaked[1] + ":" + leaked[2];
    await().atMost(Duration.ofSeconds(60))
        .until(() -> !EmbeddedEngine.get().controlPlane().isContainerCredential(leaked[1], leaked[2]));

    Path attackMarker = dir.resolve("attack-marker");
    byte[] attack = MarkerRuns.startRequest("marker-attack", attackMarker).toByteArray();
    Map<String, String> credentials = new LinkedHashMap<>();
    credentials.put("no credential", null);
    credentials.put("a made-up token", "Bearer not-the-engine-secret");
    credentials.put("a made-up container credential", "Bearer container:" + leaked[1] + ":wrong-token");
    credentials.put("a dead container's credential", "Bearer " + deadContainer);
    credentials.put("a dead container's credential without the Bearer prefix", deadContainer);

    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      List<String> answers = new ArrayList<>();
      for (Map.Entry<String, String> credential : credentials.entrySet()) {
        for (ServiceDescriptor service : SERVICES) {
          for (MethodDescriptor<?, ?> method : service.getMethods()) {
            byte[] request = method.getFullMethodName().endsWith("/StartApp") ? attack : new byte[0];
            RawCalls.Outcome outcome = RawCalls.call(channel, method, credential.getValue(), List.of(request), false,
                Duration.ofSeconds(30));
            answers.add(credential.getKey() + " " + method.getFullMethodName() + " -> "
                + outcome.status().getCode());
          }
        }
      }
      assertThat(answers).hasSize(credentials.size() * SERVICES.stream().mapToInt(s -> s.getMethods().size()).sum())
          .allSatisfy(answer -> assertThat(answer).endsWith(" -> UNAUTHENTICATED"));
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    // The same request from inside this JVM does run, and its marker appears: had the refused ones started
    // anything, their marker would have appeared by now as well.
    Path controlMarker = dir.resolve("control-marker");
    var engine = EmbeddedEngine.get().connect().blocking();
    String controlApp = engine.startApp(MarkerRuns.startRequest("marker-control", controlMarker)).getAppId();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(controlMarker));
    } finally {
      engine.stopApp(StopAppRequest.newBuilder().setAppId(controlApp).build());
    }
    assertThat(attackMarker).doesNotExist();
    assertThat(engine.listApps(ListAppsRequest.getDefaultInstance()).getAppsList())
        .noneMatch(app -> app.getName().equals("marker-attack"));
  }

}
