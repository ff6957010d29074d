package dev.shoal.internal.runtime;

import dev.shoal.internal.client.volume.MountedVolumes;

/**
 * The order in which a container stops, once it was told to or its stream ended. Each step waits for the one
 * before: the running inputs finish, so that their outputs exist; their volume changes are committed; their log
 * lines and outputs go out, so that callers do not wait for a slow {@code close()}; then the Cls instance's
 * {@code close()} runs while the stream stays open, so that the control plane sees a stopping container rather
 * than a dead one; and last the stream ends.
 */
final class ContainerShutdown {
  /** How long running inputs get to finish when the container stops. */
  static final long WORKER_STOP_MILLIS = 5_000;
  /** How long a Cls instance's close() may take when the container stops, as Modal gives {@code @exit}. */
  static final long CLOSE_GRACE_MILLIS = 30_000;
  /** How long the lines still queued when the container stops get to go out. */
  private static final long LOG_DRAIN_MILLIS = 2_000;

  private ContainerShutdown() {}

  /**
   * Stops what the container started; any of {@code volumes}, {@code outbox} and {@code served} is null when the
   * container never got that far.
   */
  static void run(Workers workers, MountedVolumes volumes, LogShipper shipper, Outbox outbox, ServedCode served,
      ContainerStream stream) {
    workers.stop(WORKER_STOP_MILLIS);
    // A container that stops normally publishes what its inputs left in its volumes.
    if (volumes != null) {
      volumes.commitAndUnmount();
    }
    shipper.close(LOG_DRAIN_MILLIS);
    if (outbox != null) {
      outbox.close();
    }
    if (served != null) {
      served.close(CLOSE_GRACE_MILLIS);
    }
    stream.complete();
    stream.closeChannel();
  }
}
