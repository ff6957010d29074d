package dev.shoal.internal.controlplane;

import java.util.List;

/**
 * A part of an app's log, read after a sequence number.
 *
 * @param missed entries after the reader's position that had already left the bounded buffer
 * @param lastSeq where to read from next
 * @param closed whether the app has stopped, so that no more entries will come
 */
public record LogPage(String appId, List<LogLine> lines, long missed, long lastSeq, boolean closed) {}
