package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CoalescingSenderTest {
  /** Holds every batch it is given until the test answers it; doubles each request, refusing negative ones. */
  static final class HeldSender extends CoalescingSender<Integer, Integer> {
    final List<List<Pending<Integer, Integer>>> batches = new CopyOnWriteArrayList<>();

    HeldSender(int maxInFlight) {
      super(maxInFlight, 100, 1_000);
    }

    @Override
    void send(List<Pending<Integer, Integer>> batch) {
      batches.add(batch);
    }

    @Override
    long bytes(Integer request) {
      return Math.abs(request);
    }

    void answer(int index) {
      for (Pending<Integer, Integer> p : batches.get(index)) {
        if (p.request() < 0) {
          p.answer().completeExceptionally(Status.INVALID_ARGUMENT.withDescription("negative").asRuntimeException());
        } else {
          p.answer().complete(p.request() * 2);
        }
      }
      slotFreed();
    }
  }

  @Test
  void aLoneRequestGoesAtOnceAndThoseMadeWhileTheSlotIsTakenGoTogether() throws Exception {
    HeldSender sender = new HeldSender(1);
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> first = callers.submit(() -> sender.submit(1, "test"));
      await().atMost(Duration.ofSeconds(10)).until(() -> sender.batches.size() == 1);
      List<Future<Object>> later = new ArrayList<>();
      for (int i = 2; i <= 6; i++) {
        int request = i == 4 ? -4 : i;
        later.add(callers.submit(() -> {
          try {
            return sender.submit(request, "test");
          } catch (StatusRuntimeException e) {
            return e;
          }
        }));
      }
      // The five wait behind the first batch's slot: nothing is sent until it frees.
      await().atMost(Duration.ofSeconds(10)).until(() -> queued(sender) == 5);
      assertThat(sender.batches).hasSize(1);
      sender.answer(0);
      assertThat(first.get()).isEqualTo(2);
      await().atMost(Duration.ofSeconds(10)).until(() -> sender.batches.size() == 2);
      assertThat(sender.batches.get(1)).hasSize(5);
      sender.answer(1);
      assertThat(later.get(0).get()).isEqualTo(4);
      assertThat(later.get(2).get()).isInstanceOfSatisfying(StatusRuntimeException.class,
          e -> assertThat(e.getStatus().getDescription()).isEqualTo("negative"));
      assertThat(later.get(4).get()).isEqualTo(12);
    }
  }

  @Test
  void aBatchStopsAtItsWeightButAHeavyRequestStillGoesAlone() throws Exception {
    HeldSender sender = new HeldSender(1);
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> blocker = callers.submit(() -> sender.submit(1, "test"));
      await().atMost(Duration.ofSeconds(10)).until(() -> sender.batches.size() == 1);
      Future<Integer> heavy = callers.submit(() -> sender.submit(5_000, "test"));
      await().atMost(Duration.ofSeconds(10)).until(() -> queued(sender) == 1);
      Future<Integer> light = callers.submit(() -> sender.submit(600, "test"));
      await().atMost(Duration.ofSeconds(10)).until(() -> queued(sender) == 2); // queued in this order
      Future<Integer> lighter = callers.submit(() -> sender.submit(500, "test"));
      await().atMost(Duration.ofSeconds(10)).until(() -> queued(sender) == 3);
      sender.answer(0);
      await().atMost(Duration.ofSeconds(10)).until(() -> sender.batches.size() == 2);
      assertThat(sender.batches.get(1)).extracting(CoalescingSender.Pending::request).containsExactly(5_000);
      sender.answer(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> sender.batches.size() == 3);
      assertThat(sender.batches.get(2)).extracting(CoalescingSender.Pending::request).containsExactly(600);
      sender.answer(2);
      await().atMost(Duration.ofSeconds(10)).until(() -> sender.batches.size() == 4);
      sender.answer(3);
      assertThat(List.of(blocker.get(), heavy.get(), light.get(), lighter.get())).containsExactly(2, 10_000, 1_200, 1_000);
    }
  }

  @Test
  void anInterruptedCallerGetsCancelled() throws Exception {
    HeldSender sender = new HeldSender(1);
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread caller = Thread.ofVirtual().start(() -> thrown.complete(catchThrowable(() -> sender.submit(1, "wait"))));
    await().atMost(Duration.ofSeconds(10)).until(() -> sender.batches.size() == 1);
    caller.interrupt();
    assertThat(thrown.get()).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
  }

  private static int queued(HeldSender sender) {
    return sender.waitingCount();
  }
}
