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
import java.util.List;

/**
 * Sends the result waits of one connection, those that many threads begin at the same moment together, in one
 * {@code AwaitResults} stream. A stream frees its slot as soon as its first response (the answers the engine
 * already had) arrives, so that long waits never hold back new ones; later answers come on the same stream.
 */
final class ResultBatcher extends CoalescingSender<AwaitResultRequest, AwaitResultResponse> {
  /** Streams whose first response has not come yet. */
  static final int MAX_UNACKNOWLEDGED = 4;
  static final int MAX_WAITS_PER_REQUEST = 1_000;

  private final ClientServiceGrpc.ClientServiceStub stub;

  ResultBatcher(ClientServiceGrpc.ClientServiceStub stub) {
    super(MAX_UNACKNOWLEDGED, MAX_WAITS_PER_REQUEST, Long.MAX_VALUE);
    this.stub = stub;
  }

  /**
   * Waits up to the request's timeout for a call's result, as the unary {@code AwaitResult} does.
   *
   * @throws StatusRuntimeException as a blocking stub would: why the wait failed, or CANCELLED when the calling
   *     thread was interrupted
   */
  AwaitResultResponse await(AwaitResultRequest request) {
    return submit(request, "get the result of " + request.getCallId());
  }

  @Override
  long bytes(AwaitResultRequest request) {
    return 0;
  }

  @Override
  void send(List<Pending<AwaitResultRequest, AwaitResultResponse>> batch) {
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
          var answer = batch.get(r.getIndex()).answer();
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
        failUnanswered(batch, t);
        acknowledge();
      }

      @Override
      public void onCompleted() {
        // Every wait has its answer by now; one that has not is a fault of the engine's, and fails rather than hangs.
        failUnanswered(batch, Status.INTERNAL.withDescription("the engine ended the wait without answering it")
            .asRuntimeException());
        acknowledge();
      }

      private void acknowledge() {
        if (!acknowledged) {
          acknowledged = true;
          slotFreed();
        }
      }
    });
  }
}
