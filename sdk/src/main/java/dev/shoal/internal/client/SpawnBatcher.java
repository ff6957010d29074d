package dev.shoal.internal.client;

import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.SpawnBatchRequest;
import dev.shoal.protocol.v1.SpawnBatchResponse;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * Sends the spawns of one connection, those made at the same moment by many threads together, in one
 * {@code SpawnBatch} request. A batch holds its slot until its answer comes, that is until the control plane has
 * stored its calls, so that the batches on their way keep the control plane's writer busy.
 */
final class SpawnBatcher extends CoalescingSender<SpawnRequest, String> {
  /** Batches on their way at once: enough to keep the control plane's writer busy while a batch travels. */
  static final int MAX_IN_FLIGHT = 4;
  static final int MAX_SPAWNS_PER_BATCH = 1_000;
  /** Bytes of arguments per batch, well under the message size limit. */
  static final int MAX_BYTES_PER_BATCH = 4 << 20;

  private final ClientServiceGrpc.ClientServiceStub stub;

  SpawnBatcher(ClientServiceGrpc.ClientServiceStub stub) {
    super(MAX_IN_FLIGHT, MAX_SPAWNS_PER_BATCH, MAX_BYTES_PER_BATCH);
    this.stub = stub;
  }

  /**
   * Spawns one call and returns its id once the control plane has stored it.
   *
   * @throws StatusRuntimeException as a blocking stub would: why this spawn failed, or CANCELLED when the calling
   *     thread was interrupted (the call may then have been created all the same)
   */
  String spawn(SpawnRequest request) {
    return submit(request, "store the spawn");
  }

  @Override
  long bytes(SpawnRequest request) {
    return request.getSerializedSize();
  }

  @Override
  void send(List<Pending<SpawnRequest, String>> batch) {
    SpawnBatchRequest.Builder request = SpawnBatchRequest.newBuilder();
    batch.forEach(p -> request.addSpawns(p.request()));
    stub.spawnBatch(request.build(), new StreamObserver<>() {
      private SpawnBatchResponse response;

      @Override
      public void onNext(SpawnBatchResponse value) {
        response = value;
      }

      @Override
      public void onError(Throwable t) {
        failUnanswered(batch, t);
        slotFreed();
      }

      @Override
      public void onCompleted() {
        answer(batch, response);
        slotFreed();
      }
    });
  }

  private static void answer(List<Pending<SpawnRequest, String>> batch, SpawnBatchResponse response) {
    if (response == null || response.getOutcomesCount() != batch.size()) {
      failUnanswered(batch, Status.INTERNAL.withDescription("the engine answered "
          + (response == null ? "nothing" : response.getOutcomesCount() + " outcomes") + " to " + batch.size()
          + " spawns").asRuntimeException());
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      SpawnOutcome outcome = response.getOutcomes(i);
      if (outcome.getErrorCode() == 0) {
        batch.get(i).answer().complete(outcome.getCallId());
      } else {
        batch.get(i).answer().completeExceptionally(Status.fromCodeValue(outcome.getErrorCode())
            .withDescription(outcome.getErrorMessage()).asRuntimeException());
      }
    }
  }
}
