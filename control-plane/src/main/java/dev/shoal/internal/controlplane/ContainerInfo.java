package dev.shoal.internal.controlplane;

/**
 * A live container of a function.
 *
 * @param phase starting, ready or stopping
 * @param runningInputs the inputs it holds now
 */
public record ContainerInfo(String id, String phase, int runningInputs, long createdAtMs, long lastSeenMs) {}
