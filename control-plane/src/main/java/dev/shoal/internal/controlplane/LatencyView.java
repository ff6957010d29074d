package dev.shoal.internal.controlplane;

/**
 * A function's attempt latencies: how many attempts ended, their mean, and percentiles rounded up to the
 * histogram's buckets, in milliseconds.
 */
public record LatencyView(long count, long meanMs, long p50Ms, long p90Ms, long p99Ms, long maxMs) {}
