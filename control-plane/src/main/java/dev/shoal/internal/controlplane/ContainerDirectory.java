package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredContainer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live containers of every pool, by id, with the token each was started with: what a container's hello and
 * its credential for calls of its own are checked against.
 *
 * <p>Each started container is also kept in the state store, with the hash of its token, until it leaves its pool:
 * a container that outlives the control plane (a pod through a restart) is what the next life may adopt
 * ({@link Adoptions}).
 */
final class ContainerDirectory {
  private static final System.Logger LOG = System.getLogger(ContainerDirectory.class.getName());

  private final Map<String, ContainerRecord> containers = new ConcurrentHashMap<>();
  private final StateStore store;

  ContainerDirectory(StateStore store) {
    this.store = store;
  }

  void register(ContainerRecord c) {
    containers.put(c.id, c);
  }

  /**
   * Keeps a container its backend started in the store. A store that fails only costs the container its chance of
   * adoption, so the failure is logged rather than thrown.
   */
  void recordStarted(ContainerRecord c, ContainerHandle handle) {
    try {
      store.insertContainer(new StoredContainer(c.id, c.pool.app.id, c.pool.id, tokenHash(c.token),
          handle.reference(), Instant.ofEpochMilli(c.createdAtMillis)));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot record container " + c.id + " in the store; it cannot be adopted"
          + " after a restart", e);
    }
  }

  void unregister(ContainerRecord c) {
    containers.remove(c.id);
    forget(c.id);
  }

  /** Removes a container's row from the store; one left behind is dropped by the next life's recovery. */
  void forget(String containerId) {
    try {
      store.deleteContainer(containerId);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot remove container " + containerId + " from the store", e);
    }
  }

  /**
   * Hands over every live container whose backend lets containers outlive the control plane (see
   * {@link ContainerRecord#handOver}), as the control plane stops; returns how many.
   */
  int handOver() {
    int n = 0;
    for (ContainerRecord c : containers.values()) {
      if (c.pool.app.backend.backend().handsOverContainers()) {
        c.handOver();
        n++;
      }
    }
    return n;
  }

  /** The container with this id if {@code token} is its own, compared in constant time; empty otherwise. */
  Optional<ContainerRecord> find(String id, String token) {
    ContainerRecord c = containers.get(id);
    if (c == null || !MessageDigest.isEqual(c.token.getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    return Optional.of(c);
  }

  /** The SHA-256 hash of a token, in lower-case hex: what the store keeps instead of the token. */
  static String tokenHash(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Whether {@code token} hashes to {@code hash}, compared in constant time. */
  static boolean tokenMatches(String token, String hash) {
    return MessageDigest.isEqual(tokenHash(token).getBytes(StandardCharsets.US_ASCII),
        hash.getBytes(StandardCharsets.US_ASCII));
  }
}
