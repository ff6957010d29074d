package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.LogEntry;
import dev.shoal.protocol.v1.LogSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log of one app: what its containers printed and their lifecycle events, in a buffer bounded by size.
 *
 * <p>Every entry gets the next sequence number of the app. When the buffer is over its budget the oldest entries
 * go; a reader holds only the sequence number it reached, so that a reader that falls behind costs nothing and
 * learns from the gap how many entries it missed. The budget counts each entry's text plus a fixed overhead, so
 * neither many short lines nor a few long ones can grow it past its bound.
 */
final class AppLog {
  /** What an entry costs beyond its text: the message, its ids and its slot. */
  static final int ENTRY_OVERHEAD_BYTES = 160;

  final String appId;
  final String appName;
  final String environment;
  private final long budgetBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();

  // Guarded by lock. A circular buffer of entries with consecutive sequence numbers, oldest at head.
  private LogEntry[] entries = new LogEntry[64];
  private int head;
  private int size;
  private long usedBytes;
  private long nextSeq = 1;
  private boolean closed;

  AppLog(String appId, String appName, String environment, long budgetBytes) {
    this.appId = appId;
    this.appName = appName;
    this.environment = environment;
    this.budgetBytes = budgetBytes;
  }

  /** Adds an entry, giving it the next sequence number, and drops the oldest ones over the budget. */
  void append(LogEntry.Builder entry) {
    lock.lock();
    try {
      LogEntry e = entry.setSeq(nextSeq++).build();
      if (size == entries.length) {
        grow();
      }
      entries[(head + size) % entries.length] = e;
      size++;
      usedBytes += cost(e);
      while (usedBytes > budgetBytes && size > 1) {
        usedBytes -= cost(entries[head]);
        entries[head] = null;
        head = (head + 1) % entries.length;
        size--;
      }
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Adds a lifecycle event or a note from Shoal itself. */
  void system(long timeMillis, String function, String containerId, String inputId, String callId, String text) {
    append(LogEntry.newBuilder()
        .setTimeMs(timeMillis)
        .setSource(LogSource.SYSTEM)
        .setFunction(function)
        .setContainerId(containerId)
        .setInputId(nullToEmpty(inputId))
        .setCallId(nullToEmpty(callId))
        .setText(text));
  }

  /**
   * Up to {@code max} entries after {@code afterSeq}, oldest first, and how many entries after it have already
   * left the buffer.
   */
  Slice read(long afterSeq, int max) {
    lock.lock();
    try {
      long oldest = nextSeq - size;
      long from = Math.max(afterSeq + 1, oldest);
      long missed = Math.max(0, oldest - (afterSeq + 1));
      int n = (int) Math.min(max, nextSeq - from);
      List<LogEntry> out = new ArrayList<>(Math.max(0, n));
      for (int i = 0; i < n; i++) {
        out.add(entries[(int) ((head + (from - oldest) + i) % entries.length)]);
      }
      return new Slice(out, missed, out.isEmpty() ? Math.max(afterSeq, from - 1) : out.getLast().getSeq());
    } finally {
      lock.unlock();
    }
  }

  /** Waits until there is an entry after {@code seq}, the log is closed, or the wait is over. */
  void awaitAfter(long seq, long timeoutMillis) throws InterruptedException {
    lock.lock();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (nextSeq - 1 <= seq && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        appended.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Marks the app as stopped: readers that follow the log end once they have read it all. */
  void close() {
    lock.lock();
    try {
      closed = true;
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean closed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** The sequence number of the newest entry; 0 when there is none. */
  long lastSeq() {
    lock.lock();
    try {
      return nextSeq - 1;
    } finally {
      lock.unlock();
    }
  }

  private void grow() {
    LogEntry[] bigger = new LogEntry[entries.length * 2];
    for (int i = 0; i < size; i++) {
      bigger[i] = entries[(head + i) % entries.length];
    }
    entries = bigger;
    head = 0;
  }

  private static long cost(LogEntry e) {
    return ENTRY_OVERHEAD_BYTES + 2L * e.getText().length();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /**
   * What a read found.
   *
   * @param missed entries after the reader's position that had already left the buffer
   * @param lastSeq where the reader is after this slice
   */
  record Slice(List<LogEntry> entries, long missed, long lastSeq) {}
}
