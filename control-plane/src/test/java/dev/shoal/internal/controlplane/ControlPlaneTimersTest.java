package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.internal.controlplane.FakeBackend.FakeContainer;
import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.RetryPolicy;
import dev.shoal.protocol.v1.SpawnRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The control plane's timers run on its injected clock and scheduler: a fake pair runs them without sleeping. */
class ControlPlaneTimersTest {
  private PoolFixture pool;

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void failedAttemptIsRetriedExactlyWhenItsBackoffIsOverOnTheClock() {
    pool = new PoolFixture(1, PoolFixture.function(60_000, 1).setRetryPolicy(RetryPolicy.newBuilder()
        .setMaxRetries(2).setInitialDelayMs(1_000).setBackoffCoefficient(2.0).setMaxDelayMs(60_000)));
    pool.call();
    FakeContainer c = pool.awaitStarted(1);
    pool.ready(c);
    assertThat(pool.sentTo(c)).extracting(InputLease::attempt).containsExactly(1);

    pool.failAll(c);
    pool.scheduler.advanceMillis(999);
    assertThat(pool.sentTo(c)).as("the first retry waits 1 s").isEmpty();
    pool.scheduler.advanceMillis(1);
    assertThat(pool.sentTo(c)).extracting(InputLease::attempt).containsExactly(2);

    pool.failAll(c);
    pool.scheduler.advanceMillis(1_999);
    assertThat(pool.sentTo(c)).as("the second retry waits twice as long").isEmpty();
    pool.scheduler.advanceMillis(1);
    assertThat(pool.sentTo(c)).extracting(InputLease::attempt).containsExactly(3);
  }

  @Test
  void awaitingAnUnfinishedCallAnswersNotDoneOnceItsWaitIsOverOnTheClock() {
    pool = new PoolFixture(1, PoolFixture.function(60_000, 1));
    String callId = pool.controlPlane.spawn(List.of(SpawnRequest.newBuilder().setFunctionId(pool.functionId)
        .setArgs(dev.shoal.protocol.v1.Payload.getDefaultInstance()).build())).join().getFirst().getCallId();
    AtomicReference<AwaitResultResponse> answer = new AtomicReference<>();

    pool.controlPlane.awaitResult(callId, 5_000, answer::set);
    pool.scheduler.advanceMillis(4_999);
    assertThat(answer.get()).as("the wait is not over").isNull();
    pool.scheduler.advanceMillis(1);
    assertThat(answer.get().getDone()).isFalse();
  }

  @Test
  void stoppingAnAppKillsTheContainersThatOutliveTheGraceOnTheClock() {
    pool = new PoolFixture(1, PoolFixture.function(60_000, 1));
    pool.call();
    FakeContainer c = pool.awaitStarted(1);
    pool.ready(c);
    String appId = pool.record(c).pool.app.id;

    // The container is asked to stop and does not: the stop waits on the scheduler, not on the real time.
    CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> pool.controlPlane.stopApp(appId));
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.scheduler.pending() >= 3);
    pool.scheduler.advanceMillis(2_999);
    assertThat(c.wasKilled()).as("the grace is not over").isFalse();
    assertThat(stopped).isNotDone();

    pool.scheduler.advanceMillis(1);
    await().atMost(Duration.ofSeconds(10)).until(c::wasKilled);
    stopped.join();
  }

  @Test
  void stoppingAnAppReturnsAsSoonAsItsLastContainerHasExitedWithoutWaitingForTheClock() {
    pool = new PoolFixture(1, PoolFixture.function(60_000, 1));
    pool.call();
    FakeContainer c = pool.awaitStarted(1);
    pool.ready(c);
    String appId = pool.record(c).pool.app.id;

    CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> pool.controlPlane.stopApp(appId));
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.shutdownAsked(c));
    pool.streamEnds(c);
    c.exit(ContainerExit.exited(0, ""));

    // Not a millisecond passes on the fake clock: the container's exit is what ends the wait.
    stopped.orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(c.wasKilled()).isFalse();
  }
}
