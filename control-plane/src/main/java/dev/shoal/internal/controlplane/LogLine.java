package dev.shoal.internal.controlplane;

/**
 * One entry of an app's log.
 *
 * @param source stdout, stderr or system (a lifecycle event or a note from Shoal)
 */
public record LogLine(long seq, long timeMs, String source, String function, String containerId, String inputId,
    String callId, String text) {}
