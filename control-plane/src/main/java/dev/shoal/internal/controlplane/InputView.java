package dev.shoal.internal.controlplane;

/**
 * One input of a call as the dashboard shows it.
 *
 * @param state pending, running, retrying, succeeded, failed, cancelled or timed_out
 * @param error the remote stack trace of its last failed attempt; empty when none failed
 * @param finishedAtMs when it got its final result; 0 until then
 */
public record InputView(String id, long index, int attempts, String state, String errorType, String error,
    long finishedAtMs) {}
