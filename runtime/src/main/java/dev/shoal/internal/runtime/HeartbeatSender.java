package dev.shoal.internal.runtime;

import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.Heartbeat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Tells the control plane every few seconds that a container is alive, until the container ends. */
final class HeartbeatSender {
  private static final long HEARTBEAT_MILLIS = 2_000;

  private HeartbeatSender() {}

  /** Starts beating on a daemon thread of its own, which ends when {@code ended} opens. */
  static void start(Consumer<ContainerMessage> send, CountDownLatch ended) {
    ContainerMessage beat = ContainerMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build();
    Thread.ofPlatform().daemon().name("shoal-heartbeat").start(() -> {
      try {
        while (!ended.await(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS)) {
          send.accept(beat);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // The stream is closing; the container is about to end.
      }
    });
  }
}
