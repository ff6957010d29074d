package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.secret.Secrets;
import java.util.List;

/**
 * What a function pool, and the calls whose inputs it runs, need from the engine that owns them. The owner
 * implements it; a pool knows nothing else of its owner, so that dependencies run one way: the control plane
 * calls into its pools, and a pool only ever calls back through this.
 */
interface PoolHost {
  /** The time every lease, deadline and backoff is measured by, in milliseconds since the epoch. */
  long nowMillis();

  /** The engine's named secrets, opened for the environment of a container being started. */
  Secrets secrets();

  /** Runs {@code task} after {@code delayMillis} on the engine's scheduler: a retry once its backoff is over. */
  void schedule(long delayMillis, Runnable task);

  /** Where containers are found by the id and token they say hello with. */
  ContainerDirectory containers();

  /** A failed input goes on to another attempt: the attempt is made durable wherever its call is stored. */
  void attemptMade(InputRecord input);

  /**
   * {@code starved} has work and no room on its backend: another pool on the same backend may stop an idle
   * container. Called with no pool lock held.
   */
  void roomWanted(FunctionPool starved);

  /** Who hears of every attempt and finished input: the metrics. */
  List<ActivityListener> listeners();

  /** What the engine is doing, where a call registers what it did. */
  Activity activity();

  /** What the engine does with blob references in payloads. */
  BlobRouting blobs();

  /** A call is over and answered: the engine no longer holds it. */
  void forget(CallRecord call);
}
