package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ExitHooksTest {
  private static final Duration GENEROUS = Duration.ofSeconds(30);

  @Test
  void theNetworkThreadsEndOnlyAfterEveryExitActionHasRunOnThem() throws Exception {
    EventLoopGroup loops = NetThreads.workers();
    Thread loop = loops.next().submit(Thread::currentThread).get();
    AtomicBoolean servedDuringTheAction = new AtomicBoolean();
    ExitHooks.Action stop = new ExitHooks.Action("test-exit-action", () -> {
      try {
        // What a run's stop does at exit: talks over the network threads.
        servedDuringTheAction.set(loops.next().submit(() -> true).get());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, false);

    ExitHooks.runThenEndNetwork(List.of(stop));

    assertThat(servedDuringTheAction).isTrue();
    assertThat(loop.join(GENEROUS)).as("the loop's thread ended, so the JVM need not wait for it").isTrue();
    assertThat(loops.isTerminated()).isTrue();
  }

  @Test
  void actionsAddedLastStartOnlyOnceTheOthersHaveEnded() {
    CountDownLatch firstMayEnd = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    ExitHooks.Action closeServer = new ExitHooks.Action("test-close-server", () -> {
      try {
        // Lets the last action start now if nothing holds it back: it would then be first in the list.
        firstMayEnd.await(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      order.add("server closed");
    }, false);
    ExitHooks.Action stopDatabase = new ExitHooks.Action("test-stop-database", () -> {
      order.add("database stopped");
      firstMayEnd.countDown();
    }, true);

    ExitHooks.runThenEndNetwork(List.of(stopDatabase, closeServer));

    assertThat(order).containsExactly("server closed", "database stopped");
  }

  @Test
  void networkThreadsAskedForAfterTheyEndedAreNewOnes() throws Exception {
    EventLoopGroup ended = NetThreads.workers();
    NetThreads.stop();

    EventLoopGroup fresh = NetThreads.workers();

    assertThat(ended.isTerminated()).isTrue();
    assertThat(fresh).isNotSameAs(ended);
    Thread loop = fresh.next().submit(Thread::currentThread).get();
    assertThat(NetThreads.isOne(loop)).isTrue();
    assertThat(loop.isDaemon()).isTrue();
  }
}
