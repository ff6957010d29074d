package dev.shoal.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutboxTest {
  /** What the outbox sent, and on which thread. */
  private record Sent(ContainerMessage message, Thread thread) {}

  private final List<Sent> sent = new CopyOnWriteArrayList<>();

  private static ContainerOutput output(int i) {
    return ContainerOutput.newBuilder().setInputId("in-" + i).build();
  }

  private List<String> sentIds() {
    List<String> ids = new ArrayList<>();
    sent.forEach(s -> s.message().getOutputs().getOutputsList().forEach(o -> ids.add(o.getInputId())));
    return ids;
  }

  @Test
  void anIdleOutboxSendsAnOutputOnTheThreadThatAddsIt() {
    Outbox outbox = new Outbox(m -> sent.add(new Sent(m, Thread.currentThread())), () -> 7);

    outbox.add(output(1));

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).thread()).isSameAs(Thread.currentThread());
    assertThat(sent.get(0).message().getOutputs().getWindow()).isEqualTo(7);
    assertThat(sentIds()).containsExactly("in-1");
  }

  @Test
  void heldOutputsGoOutTogetherWithTheNextOneSent() {
    Outbox outbox = new Outbox(m -> sent.add(new Sent(m, Thread.currentThread())), () -> 1);

    outbox.hold(output(1));
    outbox.hold(output(2));
    assertThat(sent).isEmpty();
    outbox.add(output(3));

    assertThat(sent).hasSize(1);
    assertThat(sentIds()).containsExactly("in-1", "in-2", "in-3");
  }

  @Test
  void aFlushSendsHeldOutputsInMessagesOfAtMostTheBatchLimit() {
    Outbox outbox = new Outbox(m -> sent.add(new Sent(m, Thread.currentThread())), () -> 1);

    IntStream.range(0, Outbox.MAX_BATCH + 1).forEach(i -> outbox.hold(output(i)));
    outbox.flush();

    assertThat(sent).extracting(s -> s.message().getOutputs().getOutputsCount())
        .containsExactly(Outbox.MAX_BATCH, 1);
  }

  @Test
  void anOutputAddedWhileAnotherThreadSendsIsSentByThatThread() throws Exception {
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Outbox outbox = new Outbox(m -> {
      sent.add(new Sent(m, Thread.currentThread()));
      sending.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, () -> 1);
    Thread first = Thread.ofPlatform().start(() -> outbox.add(output(1)));
    try {
      assertThat(sending.await(30, TimeUnit.SECONDS)).isTrue();

      // The first thread is inside its send: this output is left to it, and this thread does not wait.
      outbox.add(output(2));
      assertThat(sent).hasSize(1);
    } finally {
      release.countDown();
      first.join(30_000);
    }

    assertThat(sentIds()).containsExactly("in-1", "in-2");
    assertThat(sent).extracting(Sent::thread).containsOnly(first);
  }

  @Test
  void outputsAddedFromManyThreadsAtOnceAreEachSentOnce() throws Exception {
    Outbox outbox = new Outbox(m -> sent.add(new Sent(m, Thread.currentThread())), () -> 1);
    int threads = 8;
    int each = 5_000;
    List<Thread> adders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * each;
      adders.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < each; i++) {
          if (i % 3 == 0) {
            outbox.hold(output(base + i));
          } else {
            outbox.add(output(base + i));
          }
        }
        outbox.flush();
      }));
    }
    for (Thread t : adders) {
      t.join(60_000);
    }

    assertThat(sentIds()).hasSize(threads * each).doesNotHaveDuplicates();
  }

  @Test
  void closeSendsWhatWaitsAndDropsWhatComesAfter() {
    Outbox outbox = new Outbox(m -> sent.add(new Sent(m, Thread.currentThread())), () -> 1);

    outbox.hold(output(1));
    outbox.close();
    outbox.add(output(2));

    assertThat(sentIds()).containsExactly("in-1");
  }
}
