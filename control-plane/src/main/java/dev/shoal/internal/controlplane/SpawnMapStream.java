package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.MapInput;
import dev.shoal.protocol.v1.SpawnMapRequest;
import dev.shoal.protocol.v1.SpawnMapResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * One {@code SpawnMap} stream: one {@code MapStart}, inputs whose indexes count up from 0, one {@code MapEnd}. The
 * response (the map's id, once every input is stored) or the error that ends it is sent exactly once; a request
 * out of order abandons what was sent, and whatever comes after the answer is ignored.
 */
final class SpawnMapStream implements StreamObserver<SpawnMapRequest> {
  static final String METHOD = "ClientService/SpawnMap";

  private final ControlPlane controlPlane;
  private final ContainerScope scope;
  private final Caller caller;
  private final StreamObserver<SpawnMapResponse> response;
  private SpawnMapSession session;
  private long nextIndex;
  /** Whether the caller has had its answer (or is gone): requests arrive one at a time, so only they touch it. */
  private boolean done;

  SpawnMapStream(ControlPlane controlPlane, ContainerScope scope, Caller caller,
      StreamObserver<SpawnMapResponse> response) {
    this.controlPlane = controlPlane;
    this.scope = scope;
    this.caller = caller;
    this.response = response;
  }

  @Override
  public void onNext(SpawnMapRequest request) {
    if (done) {
      return;
    }
    try {
      switch (request.getKindCase()) {
        case START -> start(request.getStart().getFunctionId(), request.getStart().getIdempotencyKey());
        case INPUTS -> inputs(request.getInputs().getInputsList());
        case END -> {
          SpawnMapSession s = requireSession("MapEnd");
          s.end(request.getEnd().getTotal());
          done = true;
          response.onNext(SpawnMapResponse.newBuilder().setMapId(s.mapId()).build());
          response.onCompleted();
        }
        default -> throw RequestFields.invalid("a spawnMap request must hold MapStart, MapInputs or MapEnd; this"
            + " one is empty or of a kind this engine does not know");
      }
    } catch (StatusRuntimeException e) {
      fail(e.getStatus());
    } catch (CoreException e) {
      fail(CoreStatus.of(e));
    } catch (RuntimeException e) {
      fail(Status.INTERNAL.withDescription("spawnMap failed: " + e).withCause(e));
    }
  }

  private void start(String functionId, String idempotencyKey) {
    if (session != null) {
      throw RequestFields.invalid("a spawnMap starts once; this stream already started map " + session.mapId());
    }
    RequestFields.functionId("MapStart.function_id", functionId);
    scope.function(caller, METHOD, functionId);
    session = controlPlane.openSpawnMap(functionId, idempotencyKey);
    scope.made(caller, functionId, session.mapId());
  }

  private void inputs(List<MapInput> inputs) {
    SpawnMapSession s = requireSession("MapInputs");
    RequestFields.count("MapInputs.inputs", inputs.size());
    for (MapInput in : inputs) {
      if (in.getIndex() != nextIndex) {
        throw RequestFields.invalid("the inputs of a map are numbered 0, 1, 2, … in the order sent; map "
            + s.mapId() + " expected index " + nextIndex + " but got " + Long.toUnsignedString(in.getIndex()));
      }
      nextIndex++;
    }
    s.add(inputs);
  }

  private SpawnMapSession requireSession(String what) {
    if (session == null) {
      throw RequestFields.invalid("a spawnMap must start with MapStart; " + what + " came first");
    }
    return session;
  }

  /**
   * Ends the stream with {@code status}, once. What was sent is abandoned, unless the engine could not store it
   * ({@code UNAVAILABLE}): then a keyed map waits for its client to upload it again.
   */
  private void fail(Status status) {
    if (done) {
      return;
    }
    done = true;
    if (status.getCode() == Status.Code.UNAVAILABLE) {
      disconnected();
    } else {
      abandon();
    }
    response.onError(status.asRuntimeException());
  }

  /** The upload broke without the caller giving up: a keyed map waits for its client to upload it again. */
  private void disconnected() {
    if (session != null) {
      session.disconnected();
    }
  }

  private void abandon() {
    if (session != null) {
      session.abandon();
    }
  }

  @Override
  public void onError(Throwable t) {
    if (!done) {
      done = true;
      disconnected();
    }
  }

  @Override
  public void onCompleted() {
    if (!done) {
      fail(RequestFields.invalid("a spawnMap's request stream must send MapEnd before it closes").getStatus());
    }
  }
}
