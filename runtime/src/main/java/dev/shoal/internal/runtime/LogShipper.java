package dev.shoal.internal.runtime;

import dev.shoal.protocol.v1.ContainerLogs;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.LogEntry;
import dev.shoal.protocol.v1.LogSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sends the lines a container's code prints to the control plane, in batches, on a thread of its own.
 *
 * <p>User code never waits for the network here: a line goes into a bounded queue, or, when the queue is full,
 * is only counted. The count goes out as a line of its own ("N lines dropped") ahead of the next batch, so that
 * a reader sees where output is missing. The sender waits for the stream to be ready before each batch, so a
 * slow control plane fills the queue rather than the container's memory.
 */
final class LogShipper {
  static final int CAPACITY = 4096;
  private static final int MAX_BATCH = 512;
  private static final long POLL_MILLIS = 100;

  private final ArrayBlockingQueue<LogEntry> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final Consumer<ContainerMessage> send;
  private final BooleanSupplier streamReady;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readyChanged = lock.newCondition();
  private final Thread sender;
  private volatile boolean closing;

  /**
   * @param send sends a message on the container's stream
   * @param streamReady whether the stream takes another message without buffering it
   */
  LogShipper(Consumer<ContainerMessage> send, BooleanSupplier streamReady) {
    this.send = send;
    this.streamReady = streamReady;
    this.sender = Thread.ofPlatform().daemon().name("shoal-log-shipper").start(this::run);
  }

  /** Queues one line; never blocks. */
  void line(LogSource source, String text, String inputId, String callId) {
    LogEntry entry = LogEntry.newBuilder()
        .setTimeMs(System.currentTimeMillis())
        .setSource(source)
        .setText(text)
        .setInputId(inputId == null ? "" : inputId)
        .setCallId(callId == null ? "" : callId)
        .build();
    if (closing || !queue.offer(entry)) {
      dropped.incrementAndGet();
    }
  }

  /** Called when the stream may have become ready. */
  void signalReady() {
    lock.lock();
    try {
      readyChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Sends what is queued, within {@code millis}, then stops. */
  void close(long millis) {
    stopSoon();
    try {
      sender.join(Math.max(1, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets the sender stop once the queue is empty, without waiting for it. */
  void stopSoon() {
    closing = true;
    signalReady();
  }

  private void run() {
    List<LogEntry> batch = new ArrayList<>(MAX_BATCH);
    try {
      while (true) {
        LogEntry first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
          batch.add(LogEntry.newBuilder()
              .setTimeMs(System.currentTimeMillis())
              .setSource(LogSource.SYSTEM)
              .setText(lost + (lost == 1 ? " line" : " lines") + " dropped: the container printed faster than"
                  + " its output could be sent")
              .build());
        }
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - batch.size());
        }
        if (!batch.isEmpty()) {
          awaitReady();
          send.accept(ContainerMessage.newBuilder()
              .setLogs(ContainerLogs.newBuilder().addAllEntries(batch))
              .build());
          batch.clear();
        } else if (closing) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The stream is closing; the container is about to end.
    }
  }

  /**
   * Waits until the stream is ready. Readiness is asked without holding this shipper's lock, since the stream
   * may signal readiness (taking that lock) from inside a send that holds the stream's own.
   */
  private void awaitReady() throws InterruptedException {
    while (!streamReady.getAsBoolean()) {
      if (closing) {
        // What is left is bounded by the queue's capacity; a stream that is going away would never be ready.
        return;
      }
      lock.lock();
      try {
        // Bounded, because a signal may come between the check above and this wait.
        readyChanged.await(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } finally {
        lock.unlock();
      }
    }
  }
}
