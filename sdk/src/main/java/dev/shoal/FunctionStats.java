package dev.shoal;

/**
 * A function's load at one moment, as {@link RemoteFunction#currentStats()} reads it.
 *
 * @param backlog inputs waiting for a container
 * @param containers containers starting, running or stopping
 * @param runningInputs inputs that containers hold: running, or sent ahead to run next
 */
public record FunctionStats(long backlog, int containers, int runningInputs) {}
