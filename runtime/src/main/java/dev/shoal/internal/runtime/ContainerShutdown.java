package dev.shoal.internal.runtime;

import dev.shoal.internal.client.ContainerScope;
import dev.shoal.internal.client.volume.MountedVolumes;

/**
 * The order in which a container stops, once it was told to or its stream ended. Each step waits for the one
 * before:
 *
 * <ol>
 *   <li>the running inputs finish, so that their outputs exist;
 *   <li>the outputs go out, so that callers do not wait for a slow {@code close()};
 *   <li>the Cls instance's {@code close()} (Modal's {@code @exit}) runs inside the container's scope, with its
 *       volumes still mounted and what it prints still shipped to the app's log, while the stream stays open so that
 *       the control plane sees a stopping container rather than a dead one;
 *   <li>the volumes are committed, with what the inputs and {@code close()} left in them, and unmounted;
 *   <li>the log lines still queued go out;
 *   <li>the stream ends.
 * </ol>
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
   * Stops what the container started; any of {@code volumes}, {@code outbox}, {@code served} and {@code scope} is
   * null when the container never got that far.
   */
  static void run(Workers workers, MountedVolumes volumes, LogShipper shipper, Outbox outbox, ServedCode served,
      ContainerScope scope, ContainerStream stream) {
    workers.stop(WORKER_STOP_MILLIS);
    if (outbox != null) {
      outbox.close();
    }
    if (served != null) {
      served.close(CLOSE_GRACE_MILLIS, scope, shipper);
    }
    // A container that stops normally publishes what its inputs and its close() left in its volumes.
    if (volumes != null) {
      volumes.commitAndUnmount();
    }
    shipper.close(LOG_DRAIN_MILLIS);
    stream.complete();
    stream.closeChannel();
  }
}
