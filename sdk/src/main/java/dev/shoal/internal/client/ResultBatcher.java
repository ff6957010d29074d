package dev.shoal.internal.client;

import dev.shoal.protocol.v1.AwaitResultRequest;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.AwaitResultsRequest;
import dev.shoal.protocol.v1.AwaitResultsResponse;
import dev.shoal.protocol.v1.AwaitedResult;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sends the result waits of one connection, those that many threads begin at the same moment together, in one
 * {@code AwaitResults} stream. A wait begun while fewer than {@link #MAX_UNACKNOWLEDGED} requests await their
 * first response goes at once, alone; waits begun meanwhile go together in the next request. A request stops
 * counting once its first response (the answers the engine already had) arrives, so that long waits never hold
 * back new ones. A lone caller pays one round trip, as with a plain call; many collecting results share them.
 *
 * <p>No thread of its own, like {@link SpawnBatcher}: a caller that finds room sends, and a first response sends
 * the waits that queued behind it.
 */
final class ResultBatcher {
  static final int MAX_UNACKNOWLEDGED = 4;
  static final int MAX_WAITS_PER_REQUEST = 1_000;

  private record Pending(AwaitResultRequest request, CompletableFuture<AwaitResultResponse> answer) {}

  /**
   * Set while this thread sends a request. On the in-process transport the engine may answer within the send, and
   * that answer sends the next request: such a send goes to a thread of its own, so that the stack stays flat.
   */
  private static final ThreadLocal<Boolean> SENDING = new ThreadLocal<>();

  private final ClientServiceGrpc.ClientServiceStub stub;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private int unacknowledged;

  ResultBatcher(ClientServiceGrpc.ClientServiceStub stub) {
    this.stub = stub;
  }

  /**
   * Waits up to the request's timeout for a call's result, as the unary {@code AwaitResult} does.
   *
   * @throws StatusRuntimeException as a blocking stub would: why the wait failed, or CANCELLED when the calling
   *     thread was interrupted
   */
  AwaitResultResponse await(AwaitResultRequest request) {
    Pending pending = new Pending(request, new CompletableFuture<>());
    List<Pending> batch;
    synchronized (this) {
      waiting.add(pending);
      batch = takeBatchIfRoom();
    }
    if (batch != null) {
      send(batch);
    }
    try {
      return pending.answer().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted while waiting for the result of " + request.getCallId())
          .withCause(e).asRuntimeException();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        // A fresh exception, so that its stack trace shows this caller rather than the thread that answered.
        throw new StatusRuntimeException(status.getStatus(), status.getTrailers());
      }
      throw Status.INTERNAL.withDescription("waiting for " + request.getCallId() + " failed: " + e.getCause())
          .withCause(e.getCause()).asRuntimeException();
    }
  }

  private List<Pending> takeBatchIfRoom() {
    if (waiting.isEmpty() || unacknowledged >= MAX_UNACKNOWLEDGED) {
      return null;
    }
    List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), MAX_WAITS_PER_REQUEST));
    while (!waiting.isEmpty() && batch.size() < MAX_WAITS_PER_REQUEST) {
      batch.add(waiting.poll());
    }
    unacknowledged++;
    return batch;
  }

  private void send(List<Pending> batch) {
    if (SENDING.get() != null) {
      Thread.ofVirtual().name("shoal-await-results").start(() -> send(batch));
      return;
    }
    SENDING.set(Boolean.TRUE);
    try {
      sendNow(batch);
    } finally {
      SENDING.remove();
    }
  }

  private void sendNow(List<Pending> batch) {
    AwaitResultsRequest.Builder request = AwaitResultsRequest.newBuilder();
    batch.forEach(p -> request.addAwaits(p.request()));
    stub.awaitResults(request.build(), new StreamObserver<>() {
      private boolean acknowledged;

      @Override
      public void onNext(AwaitResultsResponse response) {
        for (AwaitedResult r : response.getResultsList()) {
          if (r.getIndex() >= batch.size()) {
            continue; // Not a wait of this request; the ones it should have answered fail at the end.
          }
          CompletableFuture<AwaitResultResponse> answer = batch.get(r.getIndex()).answer();
          if (r.getErrorCode() == 0) {
            answer.complete(r.getResponse());
          } else {
            answer.completeExceptionally(Status.fromCodeValue(r.getErrorCode())
                .withDescription(r.getErrorMessage()).asRuntimeException());
          }
        }
        acknowledge();
      }

      @Override
      public void onError(Throwable t) {
        StatusRuntimeException failure = t instanceof StatusRuntimeException s ? s
            : Status.fromThrowable(t).asRuntimeException();
        batch.forEach(p -> p.answer().completeExceptionally(failure));
        acknowledge();
      }

      @Override
      public void onCompleted() {
        StatusRuntimeException unanswered = Status.INTERNAL
            .withDescription("the engine ended the wait without answering it").asRuntimeException();
        batch.forEach(p -> p.answer().completeExceptionally(unanswered)); // no-op for those answered
        acknowledge();
      }

      private void acknowledge() {
        if (acknowledged) {
          return;
        }
        acknowledged = true;
        List<Pending> next;
        synchronized (ResultBatcher.this) {
          unacknowledged--;
          next = takeBatchIfRoom();
        }
        if (next != null) {
          send(next);
        }
      }
    });
  }
}
