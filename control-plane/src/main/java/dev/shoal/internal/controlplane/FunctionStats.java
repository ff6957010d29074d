package dev.shoal.internal.controlplane;

import java.util.concurrent.atomic.AtomicLong;

/** What a function pool has done since it was made: attempts started, inputs finished by outcome, latencies. */
final class FunctionStats {
  final AtomicLong started = new AtomicLong();
  final AtomicLong succeeded = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong cancelled = new AtomicLong();
  final LatencyHistogram latency = new LatencyHistogram();
}
