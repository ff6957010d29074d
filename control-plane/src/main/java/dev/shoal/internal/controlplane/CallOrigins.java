package dev.shoal.internal.controlplane;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which app's container made a call or detached map on a deployed function of another app: such a call belongs to
 * the app that made it as well as to the app that runs it, so that a pipeline's stage may wait for, poll and cancel
 * what it started in the next stage's app (DESIGN.md §2, "Functions call functions").
 *
 * <p>Kept in memory and bounded: the oldest entries go first. A container is as short-lived as the engine's memory,
 * so nothing here needs to outlive a restart; a call whose entry was pushed out is refused to the containers that
 * made it, which is the safe side, and stays open to the token's holder.
 */
final class CallOrigins {
  static final int MAX_ENTRIES = 100_000;

  private final int maxEntries;
  private final LinkedHashMap<String, String> appByCall;

  CallOrigins() {
    this(MAX_ENTRIES);
  }

  CallOrigins(int maxEntries) {
    this.maxEntries = maxEntries;
    this.appByCall = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > CallOrigins.this.maxEntries;
      }
    };
  }

  /** Records that a container of {@code appId} made the call or map {@code callId}. */
  synchronized void madeBy(String callId, String appId) {
    appByCall.put(callId, appId);
  }

  /** The app whose container made {@code callId} on another app, if one did and it is still remembered. */
  synchronized Optional<String> appThatMade(String callId) {
    return Optional.ofNullable(appByCall.get(callId));
  }
}
