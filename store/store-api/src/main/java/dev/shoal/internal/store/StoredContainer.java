package dev.shoal.internal.store;

import java.time.Instant;

/**
 * A container as stored while it lives: what a restarted control plane needs to adopt it when it reconnects. The
 * token itself is never stored, only its hash, so that reading the store does not let anyone speak as the
 * container.
 *
 * @param id the container's id, which its hello names
 * @param appId the app it serves
 * @param functionId the function whose pool it belongs to
 * @param tokenSha256 the SHA-256 hash of its token, in lower-case hex
 * @param handle what its backend calls it (a pod's name, a process id)
 * @param createdAt when it was started
 */
public record StoredContainer(
    String id, String appId, String functionId, String tokenSha256, String handle, Instant createdAt) {}
