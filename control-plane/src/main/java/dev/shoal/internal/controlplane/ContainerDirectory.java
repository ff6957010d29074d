package dev.shoal.internal.controlplane;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live containers of every pool, by id, with the token each was started with: what a container's hello and
 * its credential for calls of its own are checked against.
 */
final class ContainerDirectory {
  private final Map<String, ContainerRecord> containers = new ConcurrentHashMap<>();

  void register(ContainerRecord c) {
    containers.put(c.id, c);
  }

  void unregister(ContainerRecord c) {
    containers.remove(c.id);
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
}
