package dev.shoal.internal.controlplane;

/** How many inputs of a detached map are in each state. */
public record MapProgressView(long total, long pending, long running, long succeeded, long failed, long cancelled) {}
