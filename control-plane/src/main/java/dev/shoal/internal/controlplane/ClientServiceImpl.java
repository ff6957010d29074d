package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.AwaitResultRequest;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.CallRequest;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.CancelCallRequest;
import dev.shoal.protocol.v1.CancelCallResponse;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.GetCallStatusRequest;
import dev.shoal.protocol.v1.GetCallStatusResponse;
import dev.shoal.protocol.v1.MapOutputs;
import dev.shoal.protocol.v1.MapRequest;
import dev.shoal.protocol.v1.MapResponse;
import dev.shoal.protocol.v1.MapStarted;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.SpawnResponse;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import dev.shoal.protocol.v1.StopAppRequest;
import dev.shoal.protocol.v1.StopAppResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** The client-facing gRPC service: a thin adapter over {@link ControlPlane}. */
public final class ClientServiceImpl extends ClientServiceGrpc.ClientServiceImplBase {
  private final ControlPlane controlPlane;

  public ClientServiceImpl(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Override
  public void startApp(StartAppRequest request, StreamObserver<StartAppResponse> response) {
    unary(response, () -> controlPlane.startApp(request));
  }

  @Override
  public void stopApp(StopAppRequest request, StreamObserver<StopAppResponse> response) {
    unary(response, () -> {
      controlPlane.stopApp(request.getAppId());
      return StopAppResponse.getDefaultInstance();
    });
  }

  @Override
  public void spawn(SpawnRequest request, StreamObserver<SpawnResponse> response) {
    unary(response, () -> SpawnResponse.newBuilder()
        .setCallId(controlPlane.spawn(request.getFunctionId(), request.getArgs()))
        .build());
  }

  @Override
  public void call(CallRequest request, StreamObserver<CallResponse> response) {
    ServerCallStreamObserver<CallResponse> observer = (ServerCallStreamObserver<CallResponse>) response;
    try {
      String callId = controlPlane.call(request.getFunctionId(), request.getArgs(), r -> {
        synchronized (observer) {
          if (!observer.isCancelled()) {
            observer.onNext(r);
            observer.onCompleted();
          }
        }
      });
      // A caller that goes away no longer needs its call.
      observer.setOnCancelHandler(() -> {
        try {
          controlPlane.cancelCall(callId, false);
        } catch (StatusRuntimeException e) {
          // The call finished in the meantime.
        }
      });
    } catch (StatusRuntimeException e) {
      response.onError(e);
    }
  }

  @Override
  public StreamObserver<MapRequest> map(StreamObserver<MapResponse> response) {
    ServerCallStreamObserver<MapResponse> observer = (ServerCallStreamObserver<MapResponse>) response;
    MapRequests requests = new MapRequests(observer);
    // gRPC accepts a cancel handler only now, before the first message.
    observer.setOnCancelHandler(() -> {
      ControlPlane.MapSession session = requests.session;
      if (session != null) {
        session.cancel("the caller closed map " + session.callId());
      }
    });
    return requests;
  }

  /** The requests of one map stream, in the order the caller sent them. */
  private final class MapRequests implements StreamObserver<MapRequest> {
    private final ServerCallStreamObserver<MapResponse> observer;
    private volatile ControlPlane.MapSession session;

    MapRequests(ServerCallStreamObserver<MapResponse> observer) {
      this.observer = observer;
    }

      @Override
      public void onNext(MapRequest request) {
        try {
          switch (request.getKindCase()) {
            case START -> {
              session = controlPlane.openMap(request.getStart().getFunctionId(), new Sink(observer));
              synchronized (observer) {
                observer.onNext(MapResponse.newBuilder()
                    .setStarted(MapStarted.newBuilder().setCallId(session.callId()))
                    .build());
              }
            }
            case INPUTS -> requireSession().add(request.getInputs().getInputsList());
            case END -> requireSession().end(request.getEnd().getTotal());
            default -> throw Status.INVALID_ARGUMENT.withDescription("empty map request").asRuntimeException();
          }
        } catch (StatusRuntimeException e) {
          if (session != null) {
            session.cancel(e.getStatus().getDescription());
          }
          synchronized (observer) {
            observer.onError(e);
          }
        }
      }

      private ControlPlane.MapSession requireSession() {
        if (session == null) {
          throw Status.INVALID_ARGUMENT.withDescription("a map must start with MapStart").asRuntimeException();
        }
        return session;
      }

      @Override
      public void onError(Throwable t) {
        if (session != null) {
          session.cancel("the caller's map stream failed: " + t.getMessage());
        }
      }

      @Override
      public void onCompleted() {
        // The caller half-closes after MapEnd; results keep streaming until the last one.
      }
  }

  @Override
  public void awaitResult(AwaitResultRequest request, StreamObserver<AwaitResultResponse> response) {
    try {
      controlPlane.awaitResult(request.getCallId(), request.getTimeoutMs(), r -> {
        response.onNext(r);
        response.onCompleted();
      });
    } catch (StatusRuntimeException e) {
      response.onError(e);
    }
  }

  @Override
  public void cancelCall(CancelCallRequest request, StreamObserver<CancelCallResponse> response) {
    unary(response, () -> {
      controlPlane.cancelCall(request.getCallId(), request.getTerminateContainers());
      return CancelCallResponse.getDefaultInstance();
    });
  }

  @Override
  public void getCallStatus(GetCallStatusRequest request, StreamObserver<GetCallStatusResponse> response) {
    unary(response, () -> GetCallStatusResponse.newBuilder()
        .setState(controlPlane.callState(request.getCallId()))
        .build());
  }

  private static <T> void unary(StreamObserver<T> response, java.util.function.Supplier<T> body) {
    T result;
    try {
      result = body.get();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (RuntimeException e) {
      response.onError(Status.INTERNAL.withDescription(e.toString()).withCause(e).asRuntimeException());
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }

  /** Streams a map's results to its caller; writes are serialised on the observer. */
  private record Sink(ServerCallStreamObserver<MapResponse> observer) implements MapCallRecord.Sink {
    @Override
    public void outputs(MapOutputs outputs) {
      synchronized (observer) {
        if (!observer.isCancelled()) {
          observer.onNext(MapResponse.newBuilder().setOutputs(outputs).build());
        }
      }
    }

    @Override
    public void completed() {
      synchronized (observer) {
        if (!observer.isCancelled()) {
          observer.onCompleted();
        }
      }
    }

    @Override
    public void cancelled(String why) {
      synchronized (observer) {
        if (!observer.isCancelled()) {
          observer.onError(Status.CANCELLED.withDescription(why).asRuntimeException());
        }
      }
    }
  }
}
