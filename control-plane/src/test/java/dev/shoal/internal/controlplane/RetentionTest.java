package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.internal.controlplane.FakeBackend.FakeContainer;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.ResultStatus;
import dev.shoal.protocol.v1.SpawnRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How long a spawned call's result is kept: the retention period, swept by the control plane's own timer. */
class RetentionTest {
  private PoolFixture pool;

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void spawnedResultIsReadableUntilTheRetentionPeriodEndsAndThenSaysItExpired() {
    pool = new PoolFixture(4, PoolFixture.function(60_000, 1));
    String callId = pool.controlPlane.spawn(List.of(SpawnRequest.newBuilder().setFunctionId(pool.functionId)
        .setArgs(Payload.getDefaultInstance()).build())).join().getFirst().getCallId();
    FakeContainer c = pool.awaitStarted(1);
    pool.ready(c);
    pool.answerAll(c);
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.store.call(callId).orElseThrow().state().isFinal());

    pool.clock.advance(PoolFixture.RETENTION.minusMinutes(1));
    pool.scheduler.advanceMillis(60_000);
    assertThat(answerNow(callId).getResult().getStatus()).as("retained for the whole period")
        .isEqualTo(ResultStatus.SUCCESS);

    pool.scheduler.advanceMillis(60_000);
    AwaitResultResponse expired = answerNow(callId);
    assertThat(expired.getDone()).isTrue();
    assertThat(expired.getExpired()).isTrue();
  }

  private AwaitResultResponse answerNow(String callId) {
    AtomicReference<AwaitResultResponse> answer = new AtomicReference<>();
    pool.controlPlane.awaitResult(callId, 0, answer::set);
    return answer.get();
  }
}
