package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.controlplane.FakeBackend.FakeContainer;
import dev.shoal.internal.store.StoredApp;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.StartAppRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scaling settings changed while a pool runs, concurrency targets, and variants added to a running app, on a fake
 * clock and scheduler.
 */
class FunctionVariantsCoreTest {
  private PoolFixture pool;

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void raisedFloorStartsContainersAtOnceAndIsStoredWithTheApp() throws Exception {
    pool = new PoolFixture(8, PoolFixture.function(60_000, 4));
    assertThat(pool.backend.started()).isEmpty();

    FunctionDefinition now = pool.controlPlane.updateAutoscaler(pool.functionId,
        new AutoscalerUpdate(2, null, null, 30_000L));

    assertThat(now.getMinContainers()).isEqualTo(2);
    assertThat(now.getMaxContainers()).as("unset, so kept").isEqualTo(4);
    assertThat(now.getScaledownWindowMs()).isEqualTo(30_000);
    pool.awaitStarted(2);
    StoredApp stored = pool.store.activeApps().getFirst();
    assertThat(StartAppRequest.parseFrom(stored.spec()).getFunctions(0).getMinContainers())
        .as("a restart restores what is in force").isEqualTo(2);
  }

  @Test
  void loweredCapStopsIdleContainersAndHoldsTheBacklogToIt() {
    pool = new PoolFixture(8, PoolFixture.function(60_000, 3));
    IntStream.range(0, 3).forEach(i -> pool.call());
    List<FakeContainer> three = List.of(pool.awaitStarted(1), pool.awaitStarted(2), pool.awaitStarted(3));
    three.forEach(pool::ready);
    three.forEach(pool::answerAll);

    pool.controlPlane.updateAutoscaler(pool.functionId, new AutoscalerUpdate(null, 1, null, null));

    assertThat(three.stream().filter(pool::shutdownAsked)).as("idle containers over a lowered cap").hasSize(2);
    IntStream.range(0, 5).forEach(i -> pool.call());
    pool.scheduler.advanceMillis(10 * ControlPlane.TICK_MILLIS);
    assertThat(pool.backend.started()).hasSize(3);
  }

  @Test
  void capBelowTheFloorIsRefusedNamingBoth() {
    pool = new PoolFixture(8, PoolFixture.function(60_000, 4));
    assertThatThrownBy(() -> pool.controlPlane.updateAutoscaler(pool.functionId,
        new AutoscalerUpdate(5, null, null, null)))
        .isInstanceOf(CoreException.class)
        .hasMessageContaining("max_containers (4)")
        .hasMessageContaining("min_containers (5)");
  }

  @Test
  void demandIsCountedInContainersOfTheTargetNotTheMaximum() {
    pool = new PoolFixture(16, PoolFixture.function(60_000, 0).setMaxConcurrentInputs(10)
        .setTargetConcurrentInputs(2));
    IntStream.range(0, 8).forEach(i -> pool.call());

    pool.awaitStarted(4);
    pool.scheduler.advanceMillis(10 * ControlPlane.TICK_MILLIS);

    assertThat(pool.backend.started()).as("8 inputs at 2 each, not 1 container of 10").hasSize(4);
  }

  @Test
  void variantGetsAPoolOfItsOwnAndTheSameVariantTheSamePool() {
    pool = new PoolFixture(8, PoolFixture.function(60_000, 1));
    String appId = pool.store.activeApps().getFirst().appId();
    FunctionDefinition variant = PoolFixture.function(60_000, 3).setName("f~0a1b2c3d4e").setVariantOf("f").build();

    Map<String, String> first = pool.controlPlane.registerFunctions(appId, List.of(variant));
    Map<String, String> again = pool.controlPlane.registerFunctions(appId, List.of(variant));

    assertThat(first.get("f~0a1b2c3d4e")).isNotEqualTo(pool.functionId).isEqualTo(again.get("f~0a1b2c3d4e"));
    assertThat(pool.controlPlane.poolStats(PoolFixture.APP, "f~0a1b2c3d4e")).isPresent();
  }

  @Test
  void variantOfNoFunctionOrUnderAnotherNameIsRefused() {
    pool = new PoolFixture(8, PoolFixture.function(60_000, 1));
    String appId = pool.store.activeApps().getFirst().appId();
    FunctionDefinition.Builder variant = PoolFixture.function(60_000, 3);

    assertThatThrownBy(() -> pool.controlPlane.registerFunctions(appId,
        List.of(variant.clone().setName("g~1").setVariantOf("g").build())))
        .isInstanceOf(CoreException.class).hasMessageContaining("not a function of app pool-test");
    assertThatThrownBy(() -> pool.controlPlane.registerFunctions(appId,
        List.of(variant.clone().setName("other").setVariantOf("f").build())))
        .isInstanceOf(CoreException.class).hasMessageContaining("must be named 'f~TAG'");
    assertThatThrownBy(() -> pool.controlPlane.registerFunctions(appId,
        List.of(variant.clone().setName("f~2").setVariantOf("f").setBatchMaxSize(8).build())))
        .isInstanceOf(CoreException.class).hasMessageContaining("batched exactly when");
  }
}
