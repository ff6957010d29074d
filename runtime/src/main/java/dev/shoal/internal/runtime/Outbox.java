package dev.shoal.internal.runtime;

import dev.shoal.internal.client.payload.Payloads;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.ContainerOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Sends a container's outputs, several to a message when they come faster than they go out. There is no sender
 * thread: whoever adds an output sends it, with whatever else waits, unless another thread is sending at that
 * moment, in which case that thread takes the new output too before it lets go. An idle container's output thus
 * leaves on the worker that made it, with no hand-off to another thread and no wake-up (a sender thread cost two
 * of the four thread hand-offs of a {@code remote()} call in the container), while under load outputs share
 * messages (up to {@link #MAX_BATCH}, or {@link Payloads#MAX_BATCH_BYTES} of inline results).
 *
 * <p>A worker that has more inputs at hand may {@link #hold} its output rather than send it, so that a map's
 * outputs share messages even when one worker makes them all; it then {@link #flush}es when it runs out.
 */
final class Outbox {
  /** The most outputs one message carries. */
  static final int MAX_BATCH = 256;

  private final ConcurrentLinkedQueue<ContainerOutput> waiting = new ConcurrentLinkedQueue<>();
  /** Held by the one thread sending; the others leave their outputs to it. */
  private final ReentrantLock sending = new ReentrantLock();
  private final Consumer<ContainerMessage> send;
  private final IntSupplier window;
  // Guarded by sending.
  private final List<ContainerOutput> batch = new ArrayList<>(MAX_BATCH);
  private boolean closed;

  /**
   * @param window how many inputs the container wants outstanding, read just before each message is sent
   */
  Outbox(Consumer<ContainerMessage> send, IntSupplier window) {
    this.send = send;
    this.window = window;
  }

  /** Sends an output, with whatever else waits. */
  void add(ContainerOutput output) {
    waiting.add(output);
    flush();
  }

  /** Sends outputs (a batch's), in as few messages as they fit, with whatever else waits. */
  void addAll(List<ContainerOutput> outputs) {
    waiting.addAll(outputs);
    flush();
  }

  /** Keeps an output to go out with the next {@link #flush}, or with the next output another thread sends. */
  void hold(ContainerOutput output) {
    waiting.add(output);
  }

  /** Sends what waits, unless another thread is sending, which then sends it. */
  void flush() {
    // Re-checked after each turn: an output added while this thread sent, by a thread that found the lock taken,
    // is this thread's to send.
    while (!waiting.isEmpty() && sending.tryLock()) {
      try {
        sendWaitingLocked();
      } finally {
        sending.unlock();
      }
    }
  }

  /** Sends what waits, waiting for a thread that is sending to finish; outputs added afterwards are dropped. */
  void close() {
    sending.lock();
    try {
      sendWaitingLocked();
      closed = true;
    } finally {
      sending.unlock();
    }
  }

  private static long inlineBytes(ContainerOutput output) {
    return output.getResult().getValue().getData().size();
  }

  private void sendWaitingLocked() {
    if (closed) {
      waiting.clear();
      return;
    }
    while (true) {
      long bytes = 0;
      while (batch.size() < MAX_BATCH && bytes < Payloads.MAX_BATCH_BYTES) {
        ContainerOutput next = waiting.poll();
        if (next == null) {
          break;
        }
        batch.add(next);
        bytes += inlineBytes(next);
      }
      if (batch.isEmpty()) {
        return;
      }
      try {
        send.accept(ContainerMessage.newBuilder()
            .setOutputs(ContainerOutputs.newBuilder().addAllOutputs(batch).setWindow(window.getAsInt()))
            .build());
      } finally {
        batch.clear();
      }
    }
  }
}
