package dev.shoal.internal.controlplane;

/**
 * A function of an app at one moment, with what it has done since its app started.
 *
 * @param queued inputs waiting for a container
 * @param running inputs containers hold now
 * @param started attempts containers took
 */
public record FunctionSummary(String id, String appId, String appName, String name, int liveContainers, int queued,
    int running, long started, long succeeded, long failed, long cancelled) {}
