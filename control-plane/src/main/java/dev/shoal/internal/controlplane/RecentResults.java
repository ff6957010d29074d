package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.Result;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The results of spawned calls finished lately, already stored, kept in memory as well so that callers collecting
 * them do not each cost two reads of the store. Bounded by count and by bytes; the oldest entries go first. The
 * store stays the truth: an entry missing here is read from there.
 */
final class RecentResults {
  /** What a small entry costs beyond its result's bytes: the map node, the key and the record. */
  private static final int OVERHEAD_BYTES = 200;

  /** A finished call's result, the app class that decodes it, and when it finished. */
  record Entry(Result result, String appClass, Instant finishedAt) {}

  private final int maxEntries;
  private final long maxBytes;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
  private long bytes;

  RecentResults(int maxEntries, long maxBytes) {
    if (maxEntries < 0 || maxBytes < 0) {
      throw new IllegalArgumentException("bounds must not be negative: " + maxEntries + " entries, " + maxBytes
          + " bytes");
    }
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  synchronized void put(String callId, Entry entry) {
    Entry previous = entries.put(callId, entry);
    if (previous != null) {
      bytes -= cost(previous);
    }
    bytes += cost(entry);
    Iterator<Entry> oldest = entries.values().iterator();
    while ((entries.size() > maxEntries || bytes > maxBytes) && oldest.hasNext()) {
      bytes -= cost(oldest.next());
      oldest.remove();
    }
  }

  /** The entry of a call finished after {@code notBefore}; null if there is none (or it is too old). */
  synchronized Entry get(String callId, Instant notBefore) {
    Entry entry = entries.get(callId);
    return entry == null || entry.finishedAt().isBefore(notBefore) ? null : entry;
  }

  /** Forgets every result that finished before {@code cutoff}. */
  synchronized void expireBefore(Instant cutoff) {
    for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      Entry entry = it.next().getValue();
      if (entry.finishedAt().isBefore(cutoff)) {
        bytes -= cost(entry);
        it.remove();
      }
    }
  }

  synchronized int size() {
    return entries.size();
  }

  private static long cost(Entry entry) {
    return entry.result().getSerializedSize() + (long) OVERHEAD_BYTES;
  }
}
