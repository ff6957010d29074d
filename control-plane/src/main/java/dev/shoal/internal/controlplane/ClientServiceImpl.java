package dev.shoal.internal.controlplane;

import static dev.shoal.internal.controlplane.UnaryCalls.unary;

import dev.shoal.protocol.v1.AppHeartbeatRequest;
import dev.shoal.protocol.v1.AppHeartbeatResponse;
import dev.shoal.protocol.v1.ArtifactChunk;
import dev.shoal.protocol.v1.AwaitResultRequest;
import dev.shoal.protocol.v1.AwaitResultsRequest;
import dev.shoal.protocol.v1.AwaitResultsResponse;
import dev.shoal.protocol.v1.CancelMapRequest;
import dev.shoal.protocol.v1.CancelMapResponse;
import dev.shoal.protocol.v1.GetFunctionStatsRequest;
import dev.shoal.protocol.v1.GetFunctionStatsResponse;
import dev.shoal.protocol.v1.GetMapProgressRequest;
import dev.shoal.protocol.v1.GetMapProgressResponse;
import dev.shoal.protocol.v1.ListAppsRequest;
import dev.shoal.protocol.v1.ListAppsResponse;
import dev.shoal.protocol.v1.LookupFunctionRequest;
import dev.shoal.protocol.v1.LookupFunctionResponse;
import dev.shoal.protocol.v1.MissingArtifactsRequest;
import dev.shoal.protocol.v1.MissingArtifactsResponse;
import dev.shoal.protocol.v1.SpawnBatchRequest;
import dev.shoal.protocol.v1.SpawnBatchResponse;
import dev.shoal.protocol.v1.SpawnMapRequest;
import dev.shoal.protocol.v1.SpawnMapResponse;
import dev.shoal.protocol.v1.UploadArtifactResponse;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.CallRequest;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.CancelCallRequest;
import dev.shoal.protocol.v1.CancelCallResponse;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.GetCallStatusRequest;
import dev.shoal.protocol.v1.RegisterFunctionsRequest;
import dev.shoal.protocol.v1.RegisterFunctionsResponse;
import dev.shoal.protocol.v1.GetCallStatusResponse;
import dev.shoal.protocol.v1.MapOutputs;
import dev.shoal.protocol.v1.MapRequest;
import dev.shoal.protocol.v1.MapResponse;
import dev.shoal.protocol.v1.MapStarted;
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

  /** Answered from a thread of its own: a stop waits for the app's containers to go, and a transport may call. */
  @Override
  public void stopApp(StopAppRequest request, StreamObserver<StopAppResponse> response) {
    Thread.ofVirtual().name("shoal-stop-" + request.getAppId()).start(() -> unary(response, () -> {
      controlPlane.stopApp(request.getAppId());
      return StopAppResponse.getDefaultInstance();
    }));
  }

  @Override
  public void spawnBatch(SpawnBatchRequest request, StreamObserver<SpawnBatchResponse> response) {
    controlPlane.spawn(request.getSpawnsList()).whenComplete((outcomes, failure) -> {
      if (failure == null) {
        response.onNext(SpawnBatchResponse.newBuilder().addAllOutcomes(outcomes).build());
        response.onCompleted();
      } else {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        response.onError(Status.UNAVAILABLE.withDescription("the spawns could not be stored: " + cause)
            .withCause(cause).asRuntimeException());
      }
    });
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
  public void awaitResults(AwaitResultsRequest request, StreamObserver<AwaitResultsResponse> response) {
    BatchedAwait.run(controlPlane, request.getAwaitsList(), response);
  }

  @Override
  public void cancelCall(CancelCallRequest request, StreamObserver<CancelCallResponse> response) {
    unary(response, () -> {
      controlPlane.cancelCall(request.getCallId(), request.getTerminateContainers());
      return CancelCallResponse.getDefaultInstance();
    });
  }

  @Override
  public void registerFunctions(RegisterFunctionsRequest request, StreamObserver<RegisterFunctionsResponse> response) {
    unary(response, () -> RegisterFunctionsResponse.newBuilder()
        .putAllFunctionIds(controlPlane.registerFunctions(request.getAppId(), request.getFunctionsList()))
        .build());
  }

  @Override
  public void streamLogs(dev.shoal.protocol.v1.StreamLogsRequest request,
      StreamObserver<dev.shoal.protocol.v1.LogBatch> response) {
    try {
      controlPlane.streamLogs(request, (ServerCallStreamObserver<dev.shoal.protocol.v1.LogBatch>) response);
    } catch (StatusRuntimeException e) {
      response.onError(e);
    }
  }

  @Override
  public void getCallStatus(GetCallStatusRequest request, StreamObserver<GetCallStatusResponse> response) {
    unary(response, () -> GetCallStatusResponse.newBuilder()
        .setState(controlPlane.callState(request.getCallId()))
        .build());
  }

  @Override
  public void appHeartbeat(AppHeartbeatRequest request, StreamObserver<AppHeartbeatResponse> response) {
    unary(response, () -> {
      controlPlane.heartbeat(request.getAppId());
      return AppHeartbeatResponse.getDefaultInstance();
    });
  }

  @Override
  public void lookupFunction(LookupFunctionRequest request, StreamObserver<LookupFunctionResponse> response) {
    unary(response, () -> controlPlane.lookupFunction(
        request.getEnvironment(), request.getAppName(), request.getFunctionName()));
  }

  @Override
  public void listApps(ListAppsRequest request, StreamObserver<ListAppsResponse> response) {
    unary(response, () -> ListAppsResponse.newBuilder()
        .addAllApps(controlPlane.listApps(request.getEnvironment()))
        .build());
  }

  @Override
  public StreamObserver<SpawnMapRequest> spawnMap(StreamObserver<SpawnMapResponse> response) {
    return new StreamObserver<>() {
      private SpawnMapSession session;
      private boolean ended;

      @Override
      public void onNext(SpawnMapRequest request) {
        try {
          switch (request.getKindCase()) {
            case START -> session = controlPlane.openSpawnMap(request.getStart().getFunctionId(),
                request.getStart().getIdempotencyKey());
            case INPUTS -> requireSession().add(request.getInputs().getInputsList());
            case END -> {
              requireSession().end(request.getEnd().getTotal());
              ended = true;
              response.onNext(SpawnMapResponse.newBuilder().setMapId(session.mapId()).build());
              response.onCompleted();
            }
            default -> throw Status.INVALID_ARGUMENT.withDescription("empty spawnMap request").asRuntimeException();
          }
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
            disconnected();
          } else {
            abandon();
          }
          response.onError(e);
        } catch (RuntimeException e) {
          abandon();
          response.onError(Status.INTERNAL.withDescription(e.toString()).withCause(e).asRuntimeException());
        }
      }

      private SpawnMapSession requireSession() {
        if (session == null) {
          throw Status.INVALID_ARGUMENT.withDescription("a spawnMap must start with MapStart").asRuntimeException();
        }
        return session;
      }

      /** The upload broke without the caller giving up: a keyed map waits for its client to upload it again. */
      private void disconnected() {
        if (session != null && !ended) {
          session.disconnected();
          ended = true;
        }
      }

      private void abandon() {
        if (session != null && !ended) {
          session.abandon();
          ended = true;
        }
      }

      @Override
      public void onError(Throwable t) {
        disconnected();
      }

      @Override
      public void onCompleted() {
        if (!ended) {
          abandon();
          response.onError(Status.INVALID_ARGUMENT.withDescription("spawnMap ended without MapEnd")
              .asRuntimeException());
        }
      }
    };
  }

  @Override
  public void getMapProgress(GetMapProgressRequest request, StreamObserver<GetMapProgressResponse> response) {
    unary(response, () -> {
      MapProgressView p = controlPlane.mapProgress(request.getMapId());
      return GetMapProgressResponse.newBuilder()
          .setTotal(p.total())
          .setPending(p.pending())
          .setRunning(p.running())
          .setSucceeded(p.succeeded())
          .setFailed(p.failed())
          .setCancelled(p.cancelled())
          .build();
    });
  }

  @Override
  public void getFunctionStats(GetFunctionStatsRequest request,
      StreamObserver<GetFunctionStatsResponse> response) {
    unary(response, () -> {
      PoolStats stats = controlPlane.functionStats(request.getFunctionId());
      return GetFunctionStatsResponse.newBuilder()
          .setLiveContainers(stats.liveContainers())
          .setQueuedInputs(stats.queuedInputs())
          .build();
    });
  }

  @Override
  public void cancelMap(CancelMapRequest request, StreamObserver<CancelMapResponse> response) {
    unary(response, () -> {
      controlPlane.cancelMap(request.getMapId());
      return CancelMapResponse.getDefaultInstance();
    });
  }

  @Override
  public void missingArtifacts(MissingArtifactsRequest request, StreamObserver<MissingArtifactsResponse> response) {
    unary(response, () -> {
      ArtifactStore artifacts = controlPlane.artifacts();
      return MissingArtifactsResponse.newBuilder()
          .addAllHashes(request.getHashesList().stream().filter(h -> !artifacts.has(h)).toList())
          .build();
    });
  }

  @Override
  public StreamObserver<ArtifactChunk> uploadArtifact(StreamObserver<UploadArtifactResponse> response) {
    return new StreamObserver<>() {
      private ArtifactStore.Upload upload;
      private boolean done;

      @Override
      public void onNext(ArtifactChunk chunk) {
        if (done) {
          return;
        }
        try {
          if (upload == null) {
            upload = controlPlane.artifacts().upload(chunk.getHash());
          }
          upload.write(chunk.getData().toByteArray());
          if (chunk.getLast()) {
            done = true;
            upload.finish();
            response.onNext(UploadArtifactResponse.getDefaultInstance());
            response.onCompleted();
          }
        } catch (StatusRuntimeException e) {
          fail(e);
        } catch (IllegalArgumentException e) {
          fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (RuntimeException e) {
          // The content was right but could not be kept: a full disk, or an archive that cannot be reached.
          fail(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        }
      }

      private void fail(StatusRuntimeException e) {
        done = true;
        if (upload != null) {
          upload.abort();
        }
        response.onError(e);
      }

      @Override
      public void onError(Throwable t) {
        if (upload != null && !done) {
          upload.abort();
        }
      }

      @Override
      public void onCompleted() {
        if (!done) {
          fail(Status.INVALID_ARGUMENT.withDescription("an upload must end with a chunk marked last")
              .asRuntimeException());
        }
      }
    };
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
