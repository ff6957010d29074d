package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.MapInput;
import dev.shoal.protocol.v1.MapOutputs;
import dev.shoal.protocol.v1.MapRequest;
import dev.shoal.protocol.v1.MapResponse;
import dev.shoal.protocol.v1.MapStarted;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * One {@code Map} stream: the caller's requests in the order they must come (one {@code MapStart}, inputs whose
 * indexes count up from 0, one {@code MapEnd}, then the half-close), and the results going back.
 *
 * <p>The response stream is closed exactly once, whoever gets there first: the last result, a cancelled map, or a
 * request out of order. A request that breaks the order closes the stream with INVALID_ARGUMENT before the map is
 * cancelled, so that the caller hears why rather than a bare CANCELLED; what comes after the close is ignored.
 */
final class MapStream implements StreamObserver<MapRequest>, MapCallRecord.Sink {
  static final String METHOD = "ClientService/Map";

  private final ControlPlane controlPlane;
  private final ContainerScope scope;
  private final Caller caller;
  private final ServerCallStreamObserver<MapResponse> observer;
  private volatile MapSession session;
  /** The index the next input must have; requests arrive one at a time, so only they touch it. */
  private long nextIndex;
  private boolean endReceived;
  /** Guarded by this: whether the response stream was closed (or the caller went away). */
  private boolean closed;

  MapStream(ControlPlane controlPlane, ContainerScope scope, Caller caller,
      ServerCallStreamObserver<MapResponse> observer) {
    this.controlPlane = controlPlane;
    this.scope = scope;
    this.caller = caller;
    this.observer = observer;
    // gRPC accepts a cancel handler only now, before the first message.
    observer.setOnCancelHandler(() -> {
      synchronized (this) {
        closed = true;
      }
      MapSession s = session;
      if (s != null) {
        s.cancel("the caller closed map " + s.callId());
      }
    });
  }

  @Override
  public void onNext(MapRequest request) {
    if (isClosed()) {
      return;
    }
    try {
      switch (request.getKindCase()) {
        case START -> start(request.getStart().getFunctionId());
        case INPUTS -> inputs(request.getInputs().getInputsList());
        case END -> {
          MapSession s = requireSession("MapEnd");
          endReceived = true;
          s.end(request.getEnd().getTotal());
        }
        default -> throw RequestFields.invalid("a map request must hold MapStart, MapInputs or MapEnd; this one is"
            + " empty or of a kind this engine does not know");
      }
    } catch (StatusRuntimeException e) {
      fail(e.getStatus());
    } catch (CoreException e) {
      fail(CoreStatus.of(e));
    } catch (RuntimeException e) {
      fail(Status.INTERNAL.withDescription("map failed: " + e).withCause(e));
    }
  }

  private void start(String functionId) {
    if (session != null) {
      throw RequestFields.invalid("a map starts once; this stream already started map " + session.callId());
    }
    RequestFields.functionId("MapStart.function_id", functionId);
    scope.function(caller, METHOD, functionId);
    MapSession s = controlPlane.openMap(functionId, this);
    session = s;
    scope.made(caller, functionId, s.callId());
    synchronized (this) {
      if (!closed) {
        observer.onNext(MapResponse.newBuilder().setStarted(MapStarted.newBuilder().setCallId(s.callId())).build());
      }
    }
  }

  private void inputs(List<MapInput> inputs) {
    MapSession s = requireSession("MapInputs");
    if (endReceived) {
      throw RequestFields.invalid("map " + s.callId() + " received inputs after its MapEnd");
    }
    RequestFields.count("MapInputs.inputs", inputs.size());
    for (MapInput in : inputs) {
      if (in.getIndex() != nextIndex) {
        throw RequestFields.invalid("the inputs of a map are numbered 0, 1, 2, … in the order sent; map "
            + s.callId() + " expected index " + nextIndex + " but got " + Long.toUnsignedString(in.getIndex()));
      }
      nextIndex++;
    }
    s.add(inputs);
  }

  private MapSession requireSession(String what) {
    MapSession s = session;
    if (s == null) {
      throw RequestFields.invalid("a map must start with MapStart; " + what + " came first");
    }
    return s;
  }

  /** Closes the stream with {@code status}, then cancels the map, whose own cancellation then finds it closed. */
  private void fail(Status status) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (!observer.isCancelled()) {
        observer.onError(status.asRuntimeException());
      }
    }
    MapSession s = session;
    if (s != null) {
      s.cancel(status.getDescription());
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public void onError(Throwable t) {
    synchronized (this) {
      closed = true;
    }
    MapSession s = session;
    if (s != null) {
      s.cancel("the caller's map stream failed: " + t.getMessage());
    }
  }

  @Override
  public void onCompleted() {
    // The caller half-closes after MapEnd; results keep streaming until the last one.
    if (!endReceived) {
      fail(RequestFields.invalid("a map's request stream must send MapEnd before it closes").getStatus());
    }
  }

  @Override
  public synchronized void outputs(MapOutputs outputs) {
    if (!closed && !observer.isCancelled()) {
      observer.onNext(MapResponse.newBuilder().setOutputs(outputs).build());
    }
  }

  @Override
  public synchronized void completed() {
    if (!closed) {
      closed = true;
      if (!observer.isCancelled()) {
        observer.onCompleted();
      }
    }
  }

  @Override
  public synchronized void cancelled(String why) {
    if (!closed) {
      closed = true;
      if (!observer.isCancelled()) {
        observer.onError(Status.CANCELLED.withDescription(why).asRuntimeException());
      }
    }
  }
}
