package dev.shoal.internal.controlplane;

/**
 * A function pool at one moment.
 *
 * @param liveContainers containers starting, ready or stopping
 * @param highWaterContainers the most containers the pool ever had at once
 * @param queuedInputs inputs waiting for a container
 * @param runningInputs inputs that containers hold: running, or sent ahead to run next
 */
public record PoolStats(int liveContainers, int highWaterContainers, int queuedInputs, int runningInputs) {}
