package dev.shoal.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BatchCollectorTest {
  private static final String STOP = "STOP";
  private static final long LONG_WAIT = TimeUnit.MINUTES.toNanos(10);

  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  /** When each element arrived; elements not listed arrived when the collector took them. */
  private final java.util.Map<String, Long> arrivals = new java.util.concurrent.ConcurrentHashMap<>();

  private BatchCollector<String> collector(int maxSize, long waitNanos) {
    return new BatchCollector<>(queue, STOP, maxSize, waitNanos,
        e -> arrivals.getOrDefault(e, System.nanoTime()));
  }

  @Test
  void fullBatchIsTakenAtOnceWithoutWaiting() throws InterruptedException {
    queue.addAll(List.of("a", "b", "c", "d", "e"));
    BatchCollector<String> collector = collector(4, LONG_WAIT);
    assertThat(collector.next()).isEqualTo(new BatchCollector.Batch<>(List.of("a", "b", "c", "d"), false));
    assertThat(queue).containsExactly("e");
  }

  @Test
  void partialBatchRunsOnceTheWaitAfterItsFirstInputIsOver() throws InterruptedException {
    queue.addAll(List.of("a", "b"));
    BatchCollector<String> collector = collector(4, TimeUnit.MILLISECONDS.toNanos(200));
    long start = System.nanoTime();
    assertThat(collector.next().items()).containsExactly("a", "b");
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
  }

  @Test
  void anInputThatQueuedWhileTheWorkersWereBusyWaitsOnlyWhatIsLeftOfItsWait() throws InterruptedException {
    long wait = TimeUnit.SECONDS.toNanos(60);
    // "a" has been queued for longer than the wait, as if every worker had been running batches meanwhile.
    arrivals.put("a", System.nanoTime() - wait - 1);
    queue.addAll(List.of("a", "b"));
    long start = System.nanoTime();
    assertThat(collector(4, wait).next().items()).containsExactly("a", "b");
    assertThat(System.nanoTime() - start).isLessThan(wait / 2);
  }

  @Test
  void zeroWaitTakesWhatIsQueuedAndNoMore() throws InterruptedException {
    queue.addAll(List.of("a", "b", "c"));
    BatchCollector<String> collector = collector(8, 0);
    assertThat(collector.next().items()).containsExactly("a", "b", "c");
  }

  @Test
  void stopEndsTheBatchBeingGatheredAndIsNotPartOfIt() throws InterruptedException {
    queue.addAll(List.of("a", STOP, "b"));
    BatchCollector<String> collector = collector(8, LONG_WAIT);
    assertThat(collector.next()).isEqualTo(new BatchCollector.Batch<>(List.of("a"), true));
    queue.clear();
    queue.add(STOP);
    assertThat(collector.next()).isEqualTo(new BatchCollector.Batch<>(List.of(), true));
  }

  @Test
  void inputsArrivingOneByOneFillOneBatchRatherThanOnePerIdleWorker() throws Exception {
    BatchCollector<String> collector = collector(3, LONG_WAIT);
    CompletableFuture<BatchCollector.Batch<String>> first = new CompletableFuture<>();
    CompletableFuture<BatchCollector.Batch<String>> second = new CompletableFuture<>();
    Thread one = Thread.ofVirtual().start(() -> gather(collector, first));
    Thread two = Thread.ofVirtual().start(() -> gather(collector, second));
    await().atMost(Duration.ofSeconds(10)).until(() ->
        one.getState() == Thread.State.WAITING && two.getState() == Thread.State.WAITING);
    for (String s : List.of("a", "b", "c", "d", "e", "f")) {
      queue.add(s);
    }
    assertThat(List.of(first.get().items(), second.get().items()))
        .containsExactlyInAnyOrder(List.of("a", "b", "c"), List.of("d", "e", "f"));
  }

  private static void gather(BatchCollector<String> collector, CompletableFuture<BatchCollector.Batch<String>> into) {
    try {
      into.complete(collector.next());
    } catch (InterruptedException e) {
      into.completeExceptionally(e);
    }
  }
}
