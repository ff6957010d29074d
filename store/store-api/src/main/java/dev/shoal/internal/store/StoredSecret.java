package dev.shoal.internal.store;

import java.time.Instant;
import java.util.List;

/**
 * A named secret as stored: its keys in the clear, so that they can be listed, and its values sealed by the
 * control plane, which alone holds the key that opens them. A store never sees a value.
 *
 * @param keys the names of its environment variables, sorted
 * @param sealed the values, encrypted and authenticated together with the name
 */
public record StoredSecret(String name, List<String> keys, byte[] sealed, Instant createdAt, Instant updatedAt) {
  public StoredSecret {
    keys = List.copyOf(keys);
  }
}
