package dev.shoal.internal.client;

import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.SpawnBatchRequest;
import dev.shoal.protocol.v1.SpawnBatchResponse;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sends the spawns of one connection, those made at the same moment by many threads together. A spawn made while
 * fewer than {@link #MAX_IN_FLIGHT} batches are on their way goes at once, alone; the spawns made while they are
 * on their way wait and go together in the next batch. So a lone caller pays one round trip per spawn, as with a
 * plain call, and many callers share round trips and the control plane's commits instead of queueing for them.
 *
 * <p>No thread of its own: the caller whose spawn finds room sends the batch, and the response of a batch sends
 * the next one.
 */
final class SpawnBatcher {
  /** Batches on their way at once: enough to keep the control plane's writer busy while a batch travels. */
  static final int MAX_IN_FLIGHT = 4;
  static final int MAX_SPAWNS_PER_BATCH = 1_000;
  /** Bytes of arguments per batch, well under the message size limit. */
  static final int MAX_BYTES_PER_BATCH = 4 << 20;

  private record Pending(SpawnRequest request, CompletableFuture<String> callId) {}

  private final ClientServiceGrpc.ClientServiceStub stub;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private int inFlight;

  SpawnBatcher(ClientServiceGrpc.ClientServiceStub stub) {
    this.stub = stub;
  }

  /**
   * Spawns one call and returns its id once the control plane has stored it.
   *
   * @throws StatusRuntimeException as a blocking stub would: why this spawn failed, or CANCELLED when the calling
   *     thread was interrupted (the call may then have been created all the same)
   */
  String spawn(SpawnRequest request) {
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
      return pending.callId().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted while waiting for the spawn to be stored")
          .withCause(e).asRuntimeException();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        // A fresh exception, so that its stack trace shows this caller rather than the thread that answered.
        throw new StatusRuntimeException(status.getStatus(), status.getTrailers());
      }
      throw Status.INTERNAL.withDescription("spawn failed: " + e.getCause()).withCause(e.getCause())
          .asRuntimeException();
    }
  }

  /** The next batch, counted as on its way, if there is one and room for it; null otherwise. */
  private List<Pending> takeBatchIfRoom() {
    if (waiting.isEmpty() || inFlight >= MAX_IN_FLIGHT) {
      return null;
    }
    List<Pending> batch = new ArrayList<>();
    long bytes = 0;
    while (!waiting.isEmpty() && batch.size() < MAX_SPAWNS_PER_BATCH) {
      long size = waiting.peek().request().getSerializedSize();
      if (!batch.isEmpty() && bytes + size > MAX_BYTES_PER_BATCH) {
        break;
      }
      batch.add(waiting.poll());
      bytes += size;
    }
    inFlight++;
    return batch;
  }

  private void send(List<Pending> batch) {
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
        StatusRuntimeException failure = t instanceof StatusRuntimeException s ? s
            : Status.fromThrowable(t).asRuntimeException();
        batch.forEach(p -> p.callId().completeExceptionally(failure));
        finished();
      }

      @Override
      public void onCompleted() {
        answer(batch, response);
        finished();
      }
    });
  }

  private static void answer(List<Pending> batch, SpawnBatchResponse response) {
    if (response == null || response.getOutcomesCount() != batch.size()) {
      StatusRuntimeException broken = Status.INTERNAL.withDescription("the engine answered "
          + (response == null ? "nothing" : response.getOutcomesCount() + " outcomes") + " to " + batch.size()
          + " spawns").asRuntimeException();
      batch.forEach(p -> p.callId().completeExceptionally(broken));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      SpawnOutcome outcome = response.getOutcomes(i);
      if (outcome.getErrorCode() == 0) {
        batch.get(i).callId().complete(outcome.getCallId());
      } else {
        batch.get(i).callId().completeExceptionally(Status.fromCodeValue(outcome.getErrorCode())
            .withDescription(outcome.getErrorMessage()).asRuntimeException());
      }
    }
  }

  /** A batch has its answer: its slot goes to the spawns that waited meanwhile, if any. */
  private void finished() {
    List<Pending> next;
    synchronized (this) {
      inFlight--;
      next = takeBatchIfRoom();
    }
    if (next != null) {
      send(next);
    }
  }
}
