package dev.shoal.internal.runtime;

import dev.shoal.internal.client.payload.Payloads;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.ContainerOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Sends a container's outputs in batches. One sender thread takes the first waiting output and whatever else
 * is waiting by then (up to {@link Payloads#MAX_BATCH_BYTES} of inline results): under load outputs share messages,
 * and when idle each goes out at once.
 */
final class Outbox {
  private static final int MAX_BATCH = 256;
  private static final ContainerOutput STOP = ContainerOutput.newBuilder().setInputId("").build();

  private final LinkedBlockingQueue<ContainerOutput> waiting = new LinkedBlockingQueue<>();
  private final Consumer<ContainerMessage> send;
  private final IntSupplier window;
  private final Thread sender;

  /**
   * @param window how many inputs the container wants outstanding, read just before each batch is sent
   */
  Outbox(Consumer<ContainerMessage> send, IntSupplier window) {
    this.send = send;
    this.window = window;
    this.sender = Thread.ofPlatform().daemon().name("shoal-outbox").start(this::run);
  }

  void add(ContainerOutput output) {
    waiting.add(output);
  }

  /** Sends what is waiting, then stops. */
  void close() {
    waiting.add(STOP);
    try {
      sender.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long inlineBytes(ContainerOutput output) {
    return output.getResult().getValue().getData().size();
  }

  private void run() {
    List<ContainerOutput> batch = new ArrayList<>(MAX_BATCH);
    try {
      while (true) {
        ContainerOutput first = waiting.take();
        boolean stop = first == STOP;
        if (!stop) {
          batch.add(first);
        }
        long bytes = first == STOP ? 0 : inlineBytes(first);
        while (batch.size() < MAX_BATCH && bytes < Payloads.MAX_BATCH_BYTES) {
          ContainerOutput next = waiting.poll();
          if (next == null) {
            break;
          }
          if (next == STOP) {
            stop = true;
            break;
          }
          batch.add(next);
          bytes += inlineBytes(next);
        }
        if (!batch.isEmpty()) {
          send.accept(ContainerMessage.newBuilder()
              .setOutputs(ContainerOutputs.newBuilder().addAllOutputs(batch).setWindow(window.getAsInt()))
              .build());
          batch.clear();
        }
        if (stop) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
