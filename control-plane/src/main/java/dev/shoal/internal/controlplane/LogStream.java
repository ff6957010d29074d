package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.LogBatch;
import dev.shoal.protocol.v1.LogEntry;
import dev.shoal.protocol.v1.StreamLogsRequest;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends one reader an app's log, on a virtual thread of its own. It sends only when the reader's transport is
 * ready for more, so a slow reader holds nothing but its position: entries it did not get to in time leave the
 * app's bounded buffer and are reported to it as dropped.
 */
final class LogStream {
  private static final int MAX_BATCH = 512;
  /** How long a wait lasts before the reader's state is checked again, in case a signal was missed. */
  private static final long RECHECK_MILLIS = 250;

  private final AppLog log;
  private final StreamLogsRequest request;
  private final ServerCallStreamObserver<LogBatch> observer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();

  private LogStream(AppLog log, StreamLogsRequest request, ServerCallStreamObserver<LogBatch> observer) {
    this.log = log;
    this.request = request;
    this.observer = observer;
  }

  /** Starts streaming; must be called from the RPC's own method, where gRPC accepts its handlers. */
  static void start(AppLog log, StreamLogsRequest request, ServerCallStreamObserver<LogBatch> observer) {
    LogStream stream = new LogStream(log, request, observer);
    observer.setOnReadyHandler(stream::signal);
    observer.setOnCancelHandler(stream::signal);
    Thread.ofVirtual().name("shoal-logs-" + log.appId).start(stream::run);
  }

  private void signal() {
    lock.lock();
    try {
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    long position = request.getAfterSeq();
    try {
      while (!observer.isCancelled()) {
        AppLog.Slice slice = log.read(position, MAX_BATCH);
        position = slice.lastSeq();
        LogBatch.Builder batch = LogBatch.newBuilder().setAppId(log.appId).setDropped(slice.missed());
        for (LogEntry e : slice.entries()) {
          if (matches(e)) {
            batch.addEntries(e);
          }
        }
        if (batch.getEntriesCount() > 0 || batch.getDropped() > 0) {
          if (!awaitReady()) {
            return;
          }
          observer.onNext(batch.build());
        }
        if (slice.entries().isEmpty()) {
          if (!request.getFollow() || (log.closed() && position >= log.lastSeq())) {
            observer.onCompleted();
            return;
          }
          log.awaitAfter(position, RECHECK_MILLIS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The reader went away while a batch was being sent.
    }
  }

  private boolean matches(LogEntry e) {
    return (request.getSinceMs() == 0 || e.getTimeMs() >= request.getSinceMs())
        && (request.getFunction().isEmpty() || request.getFunction().equals(e.getFunction()))
        && (request.getCallId().isEmpty() || request.getCallId().equals(e.getCallId()));
  }

  private boolean awaitReady() throws InterruptedException {
    lock.lock();
    try {
      while (!observer.isReady()) {
        if (observer.isCancelled()) {
          return false;
        }
        ready.await(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
      }
      return !observer.isCancelled();
    } finally {
      lock.unlock();
    }
  }
}
