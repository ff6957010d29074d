package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
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
    });

    ExitHooks.runThenEndNetwork(List.of(stop));

    assertThat(servedDuringTheAction).isTrue();
    assertThat(loop.join(GENEROUS)).as("the loop's thread ended, so the JVM need not wait for it").isTrue();
    assertThat(loops.isTerminated()).isTrue();
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
