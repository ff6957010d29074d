package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.AwaitResultRequest;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.AwaitResultsResponse;
import dev.shoal.protocol.v1.AwaitedResult;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@code AwaitResults} stream: many waits, answered together where they can be. Every wait is begun before
 * anything is sent, so the first response carries all the answers already known (or none, which tells the client
 * its request arrived); answers that come later go out as they come. The stream ends with the last answer.
 */
final class BatchedAwait {
  /** More waits than any client batches at once; a request above it is refused rather than half served. */
  static final int MAX_AWAITS = 10_000;

  private final ControlPlane controlPlane;
  private final StreamObserver<AwaitResultsResponse> out;
  private final int total;
  private AwaitResultsResponse.Builder unsent = AwaitResultsResponse.newBuilder();
  private int answered;
  private boolean begun;
  private boolean cancelled;

  private BatchedAwait(ControlPlane controlPlane, StreamObserver<AwaitResultsResponse> out, int total) {
    this.controlPlane = controlPlane;
    this.out = out;
    this.total = total;
  }

  /**
   * Begins every wait of {@code awaits} and answers each on {@code out}. A wait that {@code check} refuses (by
   * throwing a status) fails alone, with that status, as one of an unknown call does.
   */
  static void run(ControlPlane controlPlane, List<AwaitResultRequest> awaits,
      StreamObserver<AwaitResultsResponse> out, Consumer<AwaitResultRequest> check) {
    if (awaits.isEmpty() || awaits.size() > MAX_AWAITS) {
      out.onError(Status.INVALID_ARGUMENT
          .withDescription("an AwaitResults request waits for 1 to " + MAX_AWAITS + " calls, not " + awaits.size())
          .asRuntimeException());
      return;
    }
    BatchedAwait batch = new BatchedAwait(controlPlane, out, awaits.size());
    if (out instanceof ServerCallStreamObserver<AwaitResultsResponse> server) {
      server.setOnCancelHandler(batch::clientLeft);
    }
    batch.begin(awaits, check);
  }

  private void begin(List<AwaitResultRequest> awaits, Consumer<AwaitResultRequest> check) {
    for (int i = 0; i < awaits.size(); i++) {
      int index = i;
      AwaitResultRequest wait = awaits.get(i);
      try {
        check.accept(wait);
        controlPlane.awaitResult(wait.getCallId(), wait.getTimeoutMs(), response -> answer(index, response));
      } catch (StatusRuntimeException e) {
        fail(index, e.getStatus());
      } catch (CoreException e) {
        fail(index, CoreStatus.of(e));
      } catch (RuntimeException e) {
        fail(index, Status.INTERNAL.withDescription("waiting for call " + BoundedQuote.of(wait.getCallId())
            + " failed: " + e));
      }
    }
    synchronized (this) {
      begun = true;
      sendLocked();
    }
  }

  private void answer(int index, AwaitResultResponse response) {
    add(AwaitedResult.newBuilder().setIndex(index).setResponse(response).build());
  }

  private void fail(int index, Status status) {
    add(AwaitedResult.newBuilder()
        .setIndex(index)
        .setErrorCode(status.getCode().value())
        .setErrorMessage(status.getDescription() == null ? status.getCode().name()
            : BoundedQuote.description(status.getDescription()))
        .build());
  }

  private synchronized void add(AwaitedResult result) {
    unsent.addResults(result);
    answered++;
    if (begun) {
      sendLocked();
    }
  }

  /** Sends what is unsent; after the last answer, ends the stream. The first call always sends. */
  private void sendLocked() {
    if (cancelled) {
      return;
    }
    try {
      out.onNext(unsent.build());
      unsent = AwaitResultsResponse.newBuilder();
      if (answered == total) {
        out.onCompleted();
      }
    } catch (RuntimeException e) {
      cancelled = true; // The client is gone; its waits end by their timeouts, and nothing is owed to anyone.
    }
  }

  private synchronized void clientLeft() {
    cancelled = true;
  }
}
