package dev.shoal.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunningInputsTest {
  private final RunningInputs inputs = new RunningInputs();

  @Test
  void cancellingARunningInputInterruptsItsThreadAndTheEndClearsTheInterrupt() throws Exception {
    inputs.received(List.of("in-1"));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    boolean[] clearedAfterEnd = new boolean[1];
    Thread worker = Thread.ofVirtual().start(() -> {
      inputs.start(List.of("in-1"));
      started.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      Thread.currentThread().interrupt(); // as a body that restores its interrupt status would
      assertThat(inputs.end(List.of("in-1"))).containsExactly("in-1");
      clearedAfterEnd[0] = !Thread.currentThread().isInterrupted();
    });
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    inputs.cancel(List.of("in-1"));

    assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
    worker.join(30_000);
    assertThat(clearedAfterEnd[0]).as("the next input starts without the interrupt").isTrue();
  }

  @Test
  void batchIsInterruptedOnlyOnceEveryInputOfItIsCancelled() {
    inputs.received(List.of("in-1", "in-2"));
    inputs.start(List.of("in-1", "in-2"));

    inputs.cancel(List.of("in-1"));
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    inputs.cancel(List.of("in-2"));
    assertThat(Thread.currentThread().isInterrupted()).isTrue();

    assertThat(inputs.end(List.of("in-1", "in-2"))).containsExactlyInAnyOrder("in-1", "in-2");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void cancellationThatOvertakesItsInputAppliesOnceTheInputArrives() {
    inputs.cancel(List.of("in-1"));
    inputs.received(List.of("in-1"));
    assertThat(inputs.isCancelled("in-1")).isTrue();
  }

  @Test
  void answeredInputIsNoLongerCancelledByALateCancellation() {
    inputs.received(List.of("in-1"));
    inputs.start(List.of("in-1"));
    assertThat(inputs.end(List.of("in-1"))).isEmpty();
    inputs.cancel(List.of("in-1"));
    assertThat(inputs.isCancelled("in-1")).isFalse();
  }
}
