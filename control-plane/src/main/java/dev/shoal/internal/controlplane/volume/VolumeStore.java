package dev.shoal.internal.controlplane.volume;

import java.util.List;
import java.util.Optional;

/**
 * Where volumes keep their bytes: a flat space of keys ({@code '/'}-separated, made only by {@link Volumes}) to
 * immutable-or-replaced objects. This is the whole contract an implementation must meet, so that the same volume
 * logic runs on a local directory and on any S3-compatible service:
 *
 * <ul>
 *   <li>{@link #put} is atomic: a reader sees the old object or the whole new one, never a part;</li>
 *   <li>after {@link #put} returns, {@link #get} from any thread returns the new object (read-after-write);</li>
 *   <li>{@link #list} may lag behind, and is used only for listings and deletion, never for correctness.</li>
 * </ul>
 *
 * <p>Only the control plane talks to a store; containers and clients go through the control plane.
 */
public interface VolumeStore extends AutoCloseable {
  /** The object under {@code key}, if there is one. */
  Optional<byte[]> get(String key);

  /** Stores {@code data} under {@code key}, replacing what was there, atomically. */
  void put(String key, byte[] data);

  boolean exists(String key);

  /** Every key that starts with {@code prefix}, in no particular order. */
  List<String> list(String prefix);

  /** Deletes the object under {@code key}; deleting a missing key does nothing. */
  void delete(String key);

  /**
   * Holds off other processes that change volume {@code name} through this same store until the returned lock is
   * closed; {@link Volumes} already serialises the threads of one process. A local directory may be shared by
   * several processes (each embedded engine of a user's machine) and locks it; the default does nothing, which
   * suits a store that one control plane alone writes.
   */
  default Lock lock(String name) {
    return () -> {};
  }

  /** A held {@link #lock}. */
  interface Lock extends AutoCloseable {
    @Override
    void close();
  }

  /** Where the store is, for messages: a directory, or a bucket and prefix. */
  String describe();

  @Override
  default void close() {}
}
