package dev.shoal.internal.client;

import dev.shoal.MapProgress;
import dev.shoal.Result;
import dev.shoal.SpawnedMap;
import dev.shoal.internal.client.PublicApi.Failure;
import dev.shoal.internal.client.payload.Payloads;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.CancelMapRequest;
import dev.shoal.protocol.v1.GetMapProgressRequest;
import dev.shoal.protocol.v1.GetMapProgressResponse;
import dev.shoal.protocol.v1.MapEnd;
import dev.shoal.protocol.v1.MapInput;
import dev.shoal.protocol.v1.MapInputs;
import dev.shoal.protocol.v1.MapStart;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.SpawnMapRequest;
import dev.shoal.protocol.v1.SpawnMapResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/** What {@code SpawnedMap} asks the engine about one detached map, and how its inputs are uploaded. */
public final class DetachedMap {
  private static final int BATCH = 512;

  private final EngineConnection connection;
  private final String id;

  private DetachedMap(EngineConnection connection, String id) {
    this.connection = connection;
    this.id = id;
  }

  /** The detached map with this id, on the engine this process (or the container it runs in) talks to. */
  public static DetachedMap of(String id) {
    return new DetachedMap(Engines.current(), id);
  }

  public String id() {
    return id;
  }

  /** How far the map has come; asked again while the engine cannot be reached, up to the retry deadline. */
  public MapProgress progress() {
    GetMapProgressRequest request = GetMapProgressRequest.newBuilder().setMapId(id).build();
    try {
      GetMapProgressResponse p = connection.retry().call("get the progress of map " + id,
          () -> connection.blocking().getMapProgress(request));
      return new MapProgress(p.getTotal(), p.getPending(), p.getRunning(), p.getSucceeded(), p.getFailed(),
          p.getCancelled());
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "get the progress of map " + id);
    }
  }

  /** Each input's result in input order, paged from the engine; see {@link MapResults}. */
  public <O> Iterator<Result<O>> results() {
    return new MapResults<>(connection, id);
  }

  /** Each input's result as it finishes, with its index, paged from the engine; see {@link UnorderedMapResults}. */
  public <O> Iterator<SpawnedMap.IndexedResult<O>> unorderedResults() {
    return new UnorderedMapResults<>(connection, id);
  }

  /** Cancels every input that has not finished. */
  public void cancel() {
    CancelMapRequest request = CancelMapRequest.newBuilder().setMapId(id).build();
    try {
      connection.retry().call("cancel map " + id, () -> connection.blocking().cancelMap(request));
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "cancel map " + id);
    }
  }

  /**
   * Sends every input, encoded at the call site, and returns once the engine has stored them all. Sending waits
   * for the stream to be ready, so a long input sequence is never buffered in this process.
   *
   * <p>Inputs that can be read again ({@code repeatable}: an {@code Iterable} such as a list) travel under an
   * idempotency key made here for the map. If the engine cannot be reached meanwhile (a server restarting), the
   * upload starts again from the first input with the same key, up to the client's retry deadline, and the engine
   * stores only the inputs it lacks; an upload whose answer was lost is answered with the same map. Inputs from a
   * stream can be read once only, so such an upload is not resumed: it fails, saying so.
   */
  static DetachedMap upload(FunctionTarget target, String functionName, Supplier<Iterator<?>> inputs,
      boolean repeatable, ClassPolicy policy, PayloadLimits limits) {
    EngineConnection connection = target.connection();
    String key = repeatable ? EngineConnection.newIdempotencyKey() : "";
    try {
      String mapId = repeatable
          ? connection.retry().call("upload spawnMap " + functionName,
              () -> uploadOnce(target, functionName, inputs.get(), key, policy, limits))
          : uploadOnce(target, functionName, inputs.get(), key, policy, limits);
      return new DetachedMap(connection, mapId);
    } catch (StatusRuntimeException e) {
      if (!repeatable && OutageRetry.isOutage(e)) {
        throw PublicApi.failure(Failure.GENERAL, "spawnMap " + functionName
            + " lost its connection to the Shoal engine ("
            + e.getStatus().getDescription() + ") before all of its inputs were stored; they came from a Stream,"
            + " which cannot be read again, so the upload was not resumed, and inputs stored before the connection"
            + " was lost may run. Pass an Iterable (a List, say) for spawnMap to resume across a server restart", e);
      }
      throw EngineErrors.translate(e, "spawnMap " + functionName);
    }
  }

  /**
   * One upload of the map's inputs from the first.
   *
   * @throws StatusRuntimeException why the engine refused or lost the upload
   */
  private static String uploadOnce(FunctionTarget target, String functionName, Iterator<?> inputs, String key,
      ClassPolicy policy, PayloadLimits limits) {
    CompletableFuture<String> mapId = new CompletableFuture<>();
    Semaphore ready = new Semaphore(0);
    ClientResponseObserver<SpawnMapRequest, SpawnMapResponse> responses = new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<SpawnMapRequest> stream) {
        stream.setOnReadyHandler(ready::release);
      }

      @Override
      public void onNext(SpawnMapResponse response) {
        mapId.complete(response.getMapId());
      }

      @Override
      public void onError(Throwable t) {
        mapId.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        mapId.completeExceptionally(PublicApi.failure(Failure.GENERAL, "the engine ended spawnMap without a map id"));
      }
    };
    ClientCallStreamObserver<SpawnMapRequest> requests =
        (ClientCallStreamObserver<SpawnMapRequest>) target.connection().async().spawnMap(responses);
    try (ProgressBar progress = ProgressBar.start("spawnMap " + functionName + ": inputs sent",
        () -> target.connection().liveContainers(target.functionId()))) {
      requests.onNext(SpawnMapRequest.newBuilder()
          .setStart(MapStart.newBuilder().setFunctionId(target.functionId()).setIdempotencyKey(key)).build());
      long index = 0;
      MapInputs.Builder batch = MapInputs.newBuilder();
      long batchBytes = 0;
      while (inputs.hasNext() && !mapId.isDone()) {
        Payload args = Outcomes.encodeArgument(functionName, inputs.next(), policy, limits, target.connection());
        batch.addInputs(MapInput.newBuilder().setIndex(index++).setArgs(args));
        batchBytes += args.getData().size();
        if (batch.getInputsCount() == BATCH || batchBytes >= Payloads.MAX_BATCH_BYTES) {
          send(requests, ready, mapId, SpawnMapRequest.newBuilder().setInputs(batch).build());
          batch.clear();
          batchBytes = 0;
          progress.progress(index);
        }
      }
      if (!mapId.isDone()) {
        if (batch.getInputsCount() > 0) {
          send(requests, ready, mapId, SpawnMapRequest.newBuilder().setInputs(batch).build());
        }
        progress.total(index);
        progress.progress(index);
        requests.onNext(SpawnMapRequest.newBuilder().setEnd(MapEnd.newBuilder().setTotal(index)).build());
        requests.onCompleted();
      }
    } catch (RuntimeException e) {
      // The caller's side failed (its inputs, or one that cannot be encoded): ending the stream without MapEnd
      // tells the engine to cancel what was sent, rather than keep it for an upload that will not come.
      try {
        requests.onCompleted();
      } catch (IllegalStateException closed) {
        // The stream had ended already.
      }
      throw e;
    }
    try {
      return mapId.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        throw new StatusRuntimeException(s.getStatus(), s.getTrailers());
      }
      throw PublicApi.failure(Failure.GENERAL, "spawnMap " + functionName + " failed: " + e.getCause(), e.getCause());
    }
  }

  /** Sends one request once the stream is ready; does nothing once the engine has ended the upload. */
  private static void send(ClientCallStreamObserver<SpawnMapRequest> requests, Semaphore ready,
      CompletableFuture<String> mapId, SpawnMapRequest request) {
    while (!requests.isReady() && !mapId.isDone()) {
      try {
        ready.tryAcquire(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw PublicApi.failure(Failure.CANCELLED, "interrupted while sending spawnMap inputs");
      }
    }
    if (!mapId.isDone()) {
      requests.onNext(request);
    }
  }
}
