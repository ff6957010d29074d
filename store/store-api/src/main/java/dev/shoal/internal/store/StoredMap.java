package dev.shoal.internal.store;

import java.time.Instant;

/** A detached map: its inputs are stored as calls that carry its id. */
public record StoredMap(String mapId, String appId, String functionId, long total, Instant createdAt) {}
