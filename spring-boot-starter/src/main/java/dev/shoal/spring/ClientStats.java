package dev.shoal.spring;

import java.util.concurrent.atomic.LongAdder;

/** What the client did, counted where it happens and read by the metrics (when Micrometer is present). */
final class ClientStats {
  final LongAdder spawnsAcknowledged = new LongAdder();
  final LongAdder spawnsFailed = new LongAdder();
  final LongAdder spawnNanos = new LongAdder();
  final LongAdder lookups = new LongAdder();
  final LongAdder resultsRead = new LongAdder();
  final LongAdder failuresRead = new LongAdder();

  void spawned(boolean acknowledged, long nanos) {
    (acknowledged ? spawnsAcknowledged : spawnsFailed).increment();
    spawnNanos.add(nanos);
  }
}
