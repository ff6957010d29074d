package dev.shoal.internal.controlplane;

/**
 * Where a call stands.
 *
 * @param kind remote, spawn, map or spawn_map
 * @param state pending, running, succeeded, failed or cancelled
 * @param total how many inputs the call has; -1 while a map's caller is still sending them
 * @param submitted how many inputs arrived so far
 * @param done how many inputs have their final result
 */
public record CallSummary(String id, String appId, String appName, String functionId, String function, String kind,
    String state, long createdAtMs, long finishedAtMs, long total, long submitted, long done, long running,
    long succeeded, long failed, long cancelled) {}
