package dev.shoal.internal.controlplane.blob;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which blobs the store has, and what still needs each of them: the bookkeeping behind {@link BlobStore}, without
 * its I/O, so that the rule runs in tests with a fake clock.
 *
 * <p>The rule. A blob is needed while any of these holds it, and deleted by the next sweep once none does:
 * <ul>
 *   <li>a <em>pin</em>, for {@link #PIN_MILLIS} after it was uploaded or found by a sender (or after the control
 *       plane started, for a blob it found on disk): the payload that refers to it is about to arrive;
 *   <li>an <em>input</em> in flight of a call that is not stored (remote, map), from its submission until the
 *       input's final result reached its caller;
 *   <li>a <em>delivery</em> of a result of such a call, from the moment the result went to its caller until the
 *       caller downloaded it with {@code release}, or at most the retention period of results, for a caller that
 *       never does (it died, or closed its map before it took that result);
 *   <li>the <em>store</em>: a stored call's argument while the call is not final, and a stored result until it
 *       expires with the retention period. The store answers this at each sweep, so it needs no bookkeeping here
 *       and survives a restart.
 * </ul>
 * Content addressing makes one blob serve every payload with the same bytes, so holds are counted. A blob that is
 * being uploaded is held too, so that a sweep cannot delete it between its upload and its pin.
 */
final class BlobLedger {
  /** How long an uploaded or found blob waits for the payload that refers to it. */
  static final long PIN_MILLIS = 10 * 60_000;

  private final Clock clock;
  private final long deliveryMillis;
  private final Map<String, Entry> entries = new HashMap<>();

  private static final class Entry {
    /** Whether the blob is in the store, rather than only on its way there. */
    boolean present;
    long pinnedUntil;
    int inputs;
    int uploads;
    int deliveries;
    long deliveriesUntil;
  }

  /** @param deliveryMillis how long a delivered result's blob waits at most for its caller to download it */
  BlobLedger(Clock clock, long deliveryMillis) {
    this.clock = clock;
    this.deliveryMillis = deliveryMillis;
  }

  /** Records a blob that is in the store, pinned for {@link #PIN_MILLIS}: an upload, or one found at start. */
  synchronized void stored(String hash) {
    Entry e = entry(hash);
    e.present = true;
    e.pinnedUntil = Math.max(e.pinnedUntil, clock.millis() + PIN_MILLIS);
  }

  /** Whether the blob is in the store as far as the ledger knows; a yes pins it, for the reference to come. */
  synchronized boolean pin(String hash) {
    Entry e = entries.get(hash);
    if (e == null || !e.present) {
      return false;
    }
    e.pinnedUntil = Math.max(e.pinnedUntil, clock.millis() + PIN_MILLIS);
    return true;
  }

  synchronized void uploadStarted(String hash) {
    entry(hash).uploads++;
  }

  /** An upload ended; {@code stored} says whether it left the blob in the store. */
  synchronized void uploadEnded(String hash, boolean stored) {
    Entry e = entries.get(hash);
    if (e == null) {
      return;
    }
    e.uploads--;
    if (stored) {
      e.present = true;
      e.pinnedUntil = Math.max(e.pinnedUntil, clock.millis() + PIN_MILLIS);
    } else if (!e.present && e.uploads == 0) {
      entries.remove(hash);
    }
  }

  /** Holds the blob for an input in flight; false when the store does not have it. */
  synchronized boolean holdInput(String hash) {
    Entry e = entries.get(hash);
    if (e == null || !e.present) {
      return false;
    }
    e.inputs++;
    return true;
  }

  synchronized void releaseInput(String hash) {
    Entry e = entries.get(hash);
    if (e != null && e.inputs > 0) {
      e.inputs--;
    }
  }

  /** Holds a result's blob until its caller downloads it, or at most the delivery period. */
  synchronized void delivering(String hash) {
    Entry e = entries.get(hash);
    if (e == null) {
      return;
    }
    e.deliveries++;
    e.deliveriesUntil = Math.max(e.deliveriesUntil, clock.millis() + deliveryMillis);
  }

  synchronized void delivered(String hash) {
    Entry e = entries.get(hash);
    if (e != null && e.deliveries > 0) {
      e.deliveries--;
    }
  }

  /** The blobs that nothing holds now, given those that the store needs: what a sweep deletes. */
  synchronized List<String> unneeded(Set<String> stored) {
    long now = clock.millis();
    List<String> unneeded = new ArrayList<>();
    entries.forEach((hash, e) -> {
      if (unneeded(e, now) && !stored.contains(hash)) {
        unneeded.add(hash);
      }
    });
    return unneeded;
  }

  /**
   * Forgets the blob if nothing holds it still, and returns whether it did: the sweep checks again, under the same
   * lock as every hold, just before it deletes.
   */
  synchronized boolean forgetIfUnneeded(String hash, Set<String> stored) {
    Entry e = entries.get(hash);
    if (e == null || !unneeded(e, clock.millis()) || stored.contains(hash)) {
      return false;
    }
    entries.remove(hash);
    return true;
  }

  private static boolean unneeded(Entry e, long now) {
    return e.present && e.uploads == 0 && e.inputs == 0 && now >= e.pinnedUntil
        && (e.deliveries == 0 || now >= e.deliveriesUntil);
  }

  /** Whether the blob is in the store as far as the ledger knows. */
  synchronized boolean has(String hash) {
    Entry e = entries.get(hash);
    return e != null && e.present;
  }

  private Entry entry(String hash) {
    return entries.computeIfAbsent(hash, h -> new Entry());
  }
}
