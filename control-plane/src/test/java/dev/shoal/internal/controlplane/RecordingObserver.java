package dev.shoal.internal.controlplane;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * A response stream as gRPC's server gives one, for tests of the services' stream handling: it records what was
 * sent, and refuses, as gRPC does, to be closed twice or written after it was closed.
 */
final class RecordingObserver<T> extends ServerCallStreamObserver<T> {
  final List<T> messages = new ArrayList<>();
  final List<Status> closes = new ArrayList<>();
  private Runnable onCancel;
  private boolean closed;

  @Override
  public synchronized void onNext(T value) {
    if (closed) {
      throw new IllegalStateException("call already closed");
    }
    messages.add(value);
  }

  @Override
  public synchronized void onError(Throwable t) {
    close(Status.fromThrowable(t));
  }

  @Override
  public synchronized void onCompleted() {
    close(Status.OK);
  }

  private void close(Status status) {
    if (closed) {
      throw new IllegalStateException("call already closed");
    }
    closed = true;
    closes.add(status);
  }

  /** The caller cancels, as a client that goes away does. */
  void cancelByClient() {
    synchronized (this) {
      closed = true;
    }
    if (onCancel != null) {
      onCancel.run();
    }
  }

  @Override
  public synchronized boolean isCancelled() {
    return false;
  }

  @Override
  public void setOnCancelHandler(Runnable onCancelHandler) {
    this.onCancel = onCancelHandler;
  }

  @Override
  public void setCompression(String compression) {}

  @Override
  public boolean isReady() {
    return true;
  }

  @Override
  public void setOnReadyHandler(Runnable onReadyHandler) {}

  @Override
  public void request(int count) {}

  @Override
  public void setMessageCompression(boolean enable) {}

  @Override
  public void disableAutoInboundFlowControl() {}
}
