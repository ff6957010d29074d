package dev.shoal.internal.controlplane;

import java.util.List;

/**
 * An app as the dashboard shows it.
 *
 * @param state running, detached, deployed or stopped
 * @param current whether callers reach it by its name: false for a stopped app and for a deployed one that a newer
 *     deployed version of its name has superseded
 */
public record AppView(String id, String name, String environment, String state, int version, boolean current,
    long createdAtMs,
    List<FunctionSummary> functions, int liveContainers, List<CallSummary> recentCalls) {}
