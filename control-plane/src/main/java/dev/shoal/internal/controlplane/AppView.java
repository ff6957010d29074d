package dev.shoal.internal.controlplane;

import java.util.List;

/**
 * An app as the dashboard shows it.
 *
 * @param state running, detached, deployed or stopped
 */
public record AppView(String id, String name, String environment, String state, int version, long createdAtMs,
    List<FunctionSummary> functions, int liveContainers, List<CallSummary> recentCalls) {}
