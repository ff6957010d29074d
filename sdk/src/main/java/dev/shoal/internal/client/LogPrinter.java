package dev.shoal.internal.client;

import dev.shoal.protocol.v1.LogBatch;
import dev.shoal.protocol.v1.LogEntry;
import dev.shoal.protocol.v1.LogSource;
import dev.shoal.protocol.v1.StreamLogsRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Shows a run's log on the caller's terminal while the run lasts: what its containers print, each line prefixed
 * with the function, container and input it came from, and the containers' lifecycle events.
 */
public final class LogPrinter implements AutoCloseable {
  /** How long closing waits for the last lines of a stopped run. */
  private static final long DRAIN_MILLIS = 5_000;

  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile ClientCallStreamObserver<StreamLogsRequest> call;
  private boolean closed;

  private LogPrinter() {}

  /** Starts printing the log of the run {@code appId}. */
  public static LogPrinter follow(EngineConnection connection, String appId) {
    LogPrinter printer = new LogPrinter();
    OutputSink.followerStarted();
    connection.async().streamLogs(
        StreamLogsRequest.newBuilder().setApp(appId).setFollow(true).build(), printer.new Responses());
    return printer;
  }

  /** One line as the caller sees it: {@code [function ct-abcdef input] text}. */
  public static String format(LogEntry e) {
    StringBuilder b = new StringBuilder("[").append(e.getFunction());
    if (!e.getContainerId().isEmpty()) {
      b.append(' ').append(shortContainerId(e.getContainerId()));
    }
    if (!e.getInputId().isEmpty()) {
      b.append(' ').append(e.getInputId());
    }
    if (e.getSource() == LogSource.STDERR) {
      b.append(" stderr");
    }
    return b.append("] ").append(e.getText()).toString();
  }

  /** A container id cut to its kind and six characters, which tell a run's containers apart. */
  static String shortContainerId(String id) {
    return id.length() > 9 ? id.substring(0, 9) : id;
  }

  /**
   * Stops printing. When the run was stopped first, this waits (briefly) for its last lines; otherwise it stops
   * at once.
   */
  public void close(boolean drain) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      if (drain) {
        ended.await(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ClientCallStreamObserver<StreamLogsRequest> c = call;
      if (c != null && ended.getCount() > 0) {
        c.cancel("the run's output is no longer shown", null);
      }
      OutputSink.followerEnded();
    }
  }

  @Override
  public void close() {
    close(false);
  }

  /** Receives the log on gRPC's threads and prints it. */
  private final class Responses implements ClientResponseObserver<StreamLogsRequest, LogBatch> {
    @Override
    public void beforeStart(ClientCallStreamObserver<StreamLogsRequest> requestStream) {
      call = requestStream;
    }

    @Override
    public void onNext(LogBatch batch) {
      if (batch.getDropped() > 0) {
        OutputSink.println("[shoal] " + batch.getDropped() + " log lines dropped: they left the engine's log"
            + " buffer before they could be shown");
      }
      for (LogEntry e : batch.getEntriesList()) {
        OutputSink.println(format(e));
      }
    }

    @Override
    public void onError(Throwable t) {
      ended.countDown();
    }

    @Override
    public void onCompleted() {
      ended.countDown();
    }
  }
}
