package dev.shoal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.internal.client.AppRegistry;
import dev.shoal.internal.client.ContainerScope;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.Engines;
import dev.shoal.internal.client.FunctionTarget;
import dev.shoal.internal.client.RunBinding;
import dev.shoal.internal.client.volume.MountedVolumes;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Calls made from a container's code go to the run of that container, through its own connection, while the rest
 * of the JVM (the caller of a thread container) keeps its own: the per-container scope that replaced the JVM-wide
 * container connection.
 */
class ContainerScopeTest {
  static final App served = App.named("scope-served");
  static final RemoteFunction<Integer, Integer> twice = served.function("twice", x -> 2 * x);
  static final App other = App.named("scope-other");
  static final RemoteFunction<Integer, Integer> thrice = other.function("thrice", x -> 3 * x);

  private static final EngineConnection CONNECTION =
      new EngineConnection(InProcessChannelBuilder.forName("container-scope-test").build(), "the run ap-1");

  @AfterAll
  static void closeConnection() {
    CONNECTION.close();
  }

  private static ContainerScope scope() {
    return new ContainerScope("ct-1", AppRegistry.find("scope-served", ContainerScopeTest.class).orElseThrow(),
        new RunBinding(CONNECTION, "ap-1", Map.of("twice", "fn-1")), MountedVolumes.mountAll(null, "ct-1", List.of()));
  }

  @Test
  void callsFromAContainersCodeGoToTheContainersRunThroughItsConnection() {
    AtomicReference<FunctionTarget> target = new AtomicReference<>();
    AtomicReference<EngineConnection> engine = new AtomicReference<>();
    scope().run(() -> {
      target.set(served.target("twice"));
      engine.set(Engines.current());
    });
    assertThat(target.get()).isEqualTo(new FunctionTarget(CONNECTION, "fn-1"));
    assertThat(engine.get()).isSameAs(CONNECTION);
  }

  @Test
  void threadsStartedByAContainersCodeBelongToTheContainer() throws InterruptedException {
    AtomicReference<FunctionTarget> target = new AtomicReference<>();
    Thread[] started = new Thread[1];
    scope().run(() -> started[0] = Thread.ofVirtual().start(() -> target.set(served.target("twice"))));
    started[0].join();
    assertThat(target.get()).isEqualTo(new FunctionTarget(CONNECTION, "fn-1"));
  }

  @Test
  void theJvmOutsideTheContainerKeepsItsOwnRuns() {
    scope().run(() -> { });
    assertThat(Engines.inContainer()).isFalse();
    assertThatThrownBy(() -> served.target("twice"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("app 'scope-served' is not running");
  }

  @Test
  void aContainerRunsOnlyItsOwnAppsCalls() {
    AtomicReference<Throwable> refused = new AtomicReference<>();
    scope().run(() -> {
      try {
        other.target("thrice");
      } catch (RuntimeException e) {
        refused.set(e);
      }
    });
    assertThat(refused.get()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("app 'scope-other' is not running");
  }
}
