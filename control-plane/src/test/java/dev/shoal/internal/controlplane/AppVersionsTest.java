package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.store.memory.MemoryStore;
import dev.shoal.protocol.v1.AppSummary;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.RollbackAppResponse;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deployed versions of an app: which one is current, how older ones drain, and rolling back to one. */
class AppVersionsTest {
  private final FakeClock clock = new FakeClock();
  private final FakeScheduler scheduler = new FakeScheduler(clock);
  private final FakeBackend backend = new FakeBackend(16);
  private final MemoryStore store = new MemoryStore();
  private final ControlPlane controlPlane =
      new ControlPlane(clock, scheduler, store, Duration.ofDays(1), null, backend.name(), null);

  AppVersionsTest() {
    controlPlane.addBackend(backend);
  }

  @AfterEach
  void close() {
    controlPlane.close();
  }

  private StartAppResponse deploy(String env, int minContainers) {
    return controlPlane.startApp(StartAppRequest.newBuilder()
        .setAppName("svc")
        .setAppClass("none")
        .setDeploy(true)
        .addFunctions(FunctionDefinition.newBuilder()
            .setName("work")
            .setTimeoutMs(60_000)
            .setStartupTimeoutMs(60_000)
            .setMaxConcurrentInputs(1)
            .setScaledownWindowMs(60_000)
            .setMinContainers(minContainers)
            .putEnv("ENV", env))
        .build());
  }

  /** The definition of the function that callers find, which must be {@code appId}'s. */
  private FunctionDefinition definitionOf(String appId) {
    var found = controlPlane.lookupFunction("", "svc", "work");
    assertThat(found.getAppId()).isEqualTo(appId);
    return found.getDefinition();
  }

  private List<String> currentIds() {
    return controlPlane.listApps("").stream().filter(AppSummary::getCurrent).map(AppSummary::getAppId).toList();
  }

  @Test
  void newVersionIsTheOnlyCurrentOneAndTheOlderDrainsToNoWarmContainers() {
    StartAppResponse v1 = deploy("one", 2);
    StartAppResponse v2 = deploy("two", 1);

    assertThat(currentIds()).containsExactly(v2.getAppId());
    assertThat(controlPlane.activity().apps().stream().filter(AppView::current).map(AppView::id))
        .as("the dashboard's view").containsExactly(v2.getAppId());
    // An update that changes nothing answers with the settings in force.
    FunctionDefinition v1Now = controlPlane.updateAutoscaler(v1.getFunctionIdsOrThrow("work"),
        new AutoscalerUpdate(null, null, null, null));
    assertThat(v1Now.getMinContainers()).as("superseded: no warm containers").isZero();
    assertThat(definitionOf(v2.getAppId()).getMinContainers()).isEqualTo(1);
  }

  @Test
  void restartKeepsTheOlderVersionDrainedWithoutStartingItsWarmContainers() {
    StartAppResponse v1 = deploy("one", 2);
    deploy("two", 0);
    controlPlane.close();

    FakeBackend again = new FakeBackend(16);
    try (ControlPlane restarted = new ControlPlane(clock, new FakeScheduler(clock), store, Duration.ofDays(1), null,
        again.name(), null)) {
      restarted.addBackend(again);
      restarted.recover();

      assertThat(restarted.updateAutoscaler(v1.getFunctionIdsOrThrow("work"),
          new AutoscalerUpdate(null, null, null, null)).getMinContainers()).isZero();
      assertThat(again.started()).isEmpty();
    }
  }

  @Test
  void rollbackDeploysTheOlderDefinitionAsANewVersion() {
    StartAppResponse v1 = deploy("one", 2);
    deploy("two", 0);

    RollbackAppResponse back = controlPlane.rollbackApp("", "svc", 0);

    assertThat(back.getVersion()).isEqualTo(3);
    assertThat(back.getFromVersion()).isEqualTo(1);
    assertThat(currentIds()).containsExactly(back.getAppId());
    FunctionDefinition now = definitionOf(back.getAppId());
    assertThat(now.getEnvMap()).containsEntry("ENV", "one");
    assertThat(now.getMinContainers()).as("as version 1 was deployed, not as it drained").isEqualTo(2);
    assertThat(back.getAppId()).isNotEqualTo(v1.getAppId());
  }

  @Test
  void rollbackToAnUnknownOrTheCurrentVersionOrWithNothingBeforeIsRefusedSayingWhy() {
    deploy("one", 0);
    assertThatThrownBy(() -> controlPlane.rollbackApp("", "svc", 0))
        .isInstanceOf(CoreException.class).hasMessageContaining("no version before its current one, 1");
    deploy("two", 0);
    assertThatThrownBy(() -> controlPlane.rollbackApp("", "svc", 7))
        .isInstanceOf(CoreException.class).hasMessageContaining("has no version 7; it has [1, 2]");
    assertThatThrownBy(() -> controlPlane.rollbackApp("", "svc", 2))
        .isInstanceOf(CoreException.class).hasMessageContaining("already the current one");
    assertThatThrownBy(() -> controlPlane.rollbackApp("", "nope", 0))
        .isInstanceOf(CoreException.class).hasMessageContaining("no deployed app 'nope'");
  }
}
