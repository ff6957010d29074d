package dev.shoal.internal.controlplane;

import static dev.shoal.internal.controlplane.UnaryCalls.unary;

import dev.shoal.protocol.ShoalVersion;
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
import dev.shoal.protocol.v1.GetMapResultsRequest;
import dev.shoal.protocol.v1.GetMapResultsResponse;
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
import dev.shoal.protocol.v1.RollbackAppRequest;
import dev.shoal.protocol.v1.RollbackAppResponse;
import dev.shoal.protocol.v1.UpdateAutoscalerRequest;
import dev.shoal.protocol.v1.UpdateAutoscalerResponse;
import dev.shoal.protocol.v1.GetCallStatusResponse;
import dev.shoal.protocol.v1.MapRequest;
import dev.shoal.protocol.v1.MapResponse;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import dev.shoal.protocol.v1.StopAppRequest;
import dev.shoal.protocol.v1.StopAppResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import dev.shoal.protocol.v1.LogBatch;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.StreamLogsRequest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The client-facing gRPC service: a thin adapter over {@link ControlPlane}. Every request's ids, names and numbers
 * are checked here ({@link RequestFields}), and so is what a container's credential may reach ({@link
 * ContainerScope}), before anything reaches the control plane.
 */
public final class ClientServiceImpl extends ClientServiceGrpc.ClientServiceImplBase {
  /** The most results a page of a detached map's holds: bounded so that one answer stays small. */
  static final int MAP_RESULTS_PAGE = 500;
  private final ControlPlane controlPlane;
  private final ContainerScope scope;

  public ClientServiceImpl(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.scope = new ContainerScope(controlPlane, new CallOrigins());
  }

  @Override
  public void startApp(StartAppRequest request, StreamObserver<StartAppResponse> response) {
    unary(response, () -> {
      RequestFields.appName("app_name", request.getAppName());
      RequestFields.text("app_class", request.getAppClass(), RequestFields.MAX_CLASS_NAME);
      RequestFields.functions("functions", request.getFunctionsList());
      RequestFields.backend("backend", request.getBackend());
      RequestFields.count("classpath", request.getClasspathCount());
      for (String entry : request.getClasspathList()) {
        RequestFields.text("classpath entry", entry, RequestFields.MAX_PATH);
      }
      return controlPlane.startApp(request);
    });
  }

  /** Answered from a thread of its own: a stop waits for the app's containers to go, and a transport may call. */
  @Override
  public void stopApp(StopAppRequest request, StreamObserver<StopAppResponse> response) {
    String appId;
    try {
      appId = RequestFields.appId("app_id", request.getAppId());
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    }
    Thread.ofVirtual().name("shoal-stop-" + appId).start(() -> unary(response, () -> {
      controlPlane.stopApp(appId);
      return StopAppResponse.getDefaultInstance();
    }));
  }

  /**
   * Creates the spawns that pass their checks; one that does not (a malformed function id, another app's function)
   * fails alone, with its own outcome, as one of an unknown function does.
   */
  @Override
  public void spawnBatch(SpawnBatchRequest request, StreamObserver<SpawnBatchResponse> response) {
    Caller caller = Caller.current();
    List<SpawnRequest> spawns = request.getSpawnsList();
    try {
      RequestFields.count("spawns", spawns.size());
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    }
    SpawnOutcome[] outcomes = new SpawnOutcome[spawns.size()];
    List<SpawnRequest> accepted = new ArrayList<>();
    List<Integer> acceptedIndexes = new ArrayList<>();
    for (int i = 0; i < spawns.size(); i++) {
      String functionId = spawns.get(i).getFunctionId();
      try {
        RequestFields.functionId("spawns[" + i + "].function_id", functionId);
        scope.function(caller, "ClientService/SpawnBatch", functionId);
        accepted.add(spawns.get(i));
        acceptedIndexes.add(i);
      } catch (StatusRuntimeException e) {
        outcomes[i] = SpawnOutcome.newBuilder().setErrorCode(e.getStatus().getCode().value())
            .setErrorMessage(String.valueOf(e.getStatus().getDescription())).build();
      }
    }
    CompletableFuture<List<SpawnOutcome>> stored;
    try {
      stored = controlPlane.spawn(accepted);
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    stored.whenComplete((made, failure) -> {
      if (failure == null) {
        for (int k = 0; k < made.size(); k++) {
          SpawnOutcome outcome = made.get(k);
          outcomes[acceptedIndexes.get(k)] = outcome.getCallId().isEmpty() ? outcome.toBuilder()
              .setErrorMessage(BoundedQuote.description(outcome.getErrorMessage())).build() : outcome;
          if (!outcome.getCallId().isEmpty()) {
            scope.made(caller, accepted.get(k).getFunctionId(), outcome.getCallId());
          }
        }
        response.onNext(SpawnBatchResponse.newBuilder().addAllOutcomes(List.of(outcomes)).build());
        response.onCompleted();
      } else {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        response.onError(Status.UNAVAILABLE.withDescription("the spawns could not be stored: " + cause)
            .withCause(cause).asRuntimeException());
      }
    });
  }

  @Override
  public void call(CallRequest request, StreamObserver<CallResponse> response) {
    ServerCallStreamObserver<CallResponse> observer = (ServerCallStreamObserver<CallResponse>) response;
    Caller caller = Caller.current();
    try {
      RequestFields.functionId("function_id", request.getFunctionId());
      scope.function(caller, "ClientService/Call", request.getFunctionId());
      String callId = controlPlane.call(request.getFunctionId(), request.getArgs(), r -> {
        synchronized (observer) {
          if (!observer.isCancelled()) {
            observer.onNext(r);
            observer.onCompleted();
          }
        }
      });
      scope.made(caller, request.getFunctionId(), callId);
      // A caller that goes away no longer needs its call.
      observer.setOnCancelHandler(() -> {
        try {
          controlPlane.cancelCall(callId, false);
        } catch (CoreException e) {
          // The call finished in the meantime.
        }
      });
    } catch (StatusRuntimeException e) {
      response.onError(e);
    } catch (CoreException e) {
      response.onError(CoreStatus.exception(e));
    } catch (RuntimeException e) {
      response.onError(Status.INTERNAL.withDescription("call failed: " + e).withCause(e).asRuntimeException());
    }
  }

  @Override
  public StreamObserver<MapRequest> map(StreamObserver<MapResponse> response) {
    return new MapStream(controlPlane, scope, Caller.current(), (ServerCallStreamObserver<MapResponse>) response);
  }

  @Override
  public void awaitResult(AwaitResultRequest request, StreamObserver<AwaitResultResponse> response) {
    try {
      checkAwait(Caller.current(), "ClientService/AwaitResult", request);
      controlPlane.awaitResult(request.getCallId(), request.getTimeoutMs(), r -> {
        response.onNext(r);
        response.onCompleted();
      });
    } catch (StatusRuntimeException e) {
      response.onError(e);
    } catch (CoreException e) {
      response.onError(CoreStatus.exception(e));
    } catch (RuntimeException e) {
      response.onError(Status.INTERNAL.withDescription("await failed: " + e).withCause(e).asRuntimeException());
    }
  }

  private void checkAwait(Caller caller, String method, AwaitResultRequest wait) {
    RequestFields.callId("call_id", wait.getCallId());
    RequestFields.waitMillis("timeout_ms", wait.getTimeoutMs());
    scope.call(caller, method, wait.getCallId());
  }

  @Override
  public void awaitResults(AwaitResultsRequest request, StreamObserver<AwaitResultsResponse> response) {
    Caller caller = Caller.current();
    BatchedAwait.run(controlPlane, request.getAwaitsList(), response,
        wait -> checkAwait(caller, "ClientService/AwaitResults", wait));
  }

  @Override
  public void cancelCall(CancelCallRequest request, StreamObserver<CancelCallResponse> response) {
    unary(response, () -> {
      RequestFields.callId("call_id", request.getCallId());
      scope.call(Caller.current(), "ClientService/CancelCall", request.getCallId());
      controlPlane.cancelCall(request.getCallId(), request.getTerminateContainers());
      return CancelCallResponse.getDefaultInstance();
    });
  }

  @Override
  public void registerFunctions(RegisterFunctionsRequest request, StreamObserver<RegisterFunctionsResponse> response) {
    unary(response, () -> {
      RequestFields.appId("app_id", request.getAppId());
      RequestFields.functions("functions", request.getFunctionsList());
      scope.register(Caller.current(), "ClientService/RegisterFunctions", request.getAppId(),
          request.getFunctionsList());
      return RegisterFunctionsResponse.newBuilder()
          .putAllFunctionIds(controlPlane.registerFunctions(request.getAppId(), request.getFunctionsList()))
          .build();
    });
  }

  @Override
  public void streamLogs(StreamLogsRequest request, StreamObserver<LogBatch> response) {
    try {
      String app = request.getApp();
      if (app.startsWith("ap-")) {
        RequestFields.appId("app", app);
      } else if (!app.isEmpty()) {
        RequestFields.appName("app", app);
      }
      if (!request.getFunction().isEmpty()) {
        RequestFields.functionName("function", request.getFunction());
      }
      if (!request.getCallId().isEmpty()) {
        RequestFields.callId("call_id", request.getCallId());
      }
      AppLog log;
      if (app.isEmpty() && !request.getCallId().isEmpty()) {
        // A call's own lines, as FunctionCall.logs() reads them: the call names its app.
        scope.call(Caller.current(), "ClientService/StreamLogs", request.getCallId());
        log = controlPlane.logOfCall(request.getCallId());
      } else {
        log = controlPlane.log(request.getApp(), request.getEnvironment());
      }
      LogStream.start(log, request, (ServerCallStreamObserver<LogBatch>) response);
    } catch (StatusRuntimeException e) {
      response.onError(e);
    } catch (CoreException e) {
      response.onError(CoreStatus.exception(e));
    }
  }

  @Override
  public void getCallStatus(GetCallStatusRequest request, StreamObserver<GetCallStatusResponse> response) {
    unary(response, () -> {
      RequestFields.callId("call_id", request.getCallId());
      scope.call(Caller.current(), "ClientService/GetCallStatus", request.getCallId());
      return GetCallStatusResponse.newBuilder().setState(controlPlane.callState(request.getCallId())).build();
    });
  }

  @Override
  public void appHeartbeat(AppHeartbeatRequest request, StreamObserver<AppHeartbeatResponse> response) {
    unary(response, () -> {
      controlPlane.heartbeat(RequestFields.appId("app_id", request.getAppId()));
      return AppHeartbeatResponse.getDefaultInstance();
    });
  }

  @Override
  public void lookupFunction(LookupFunctionRequest request, StreamObserver<LookupFunctionResponse> response) {
    unary(response, () -> {
      RequestFields.appName("app_name", request.getAppName());
      RequestFields.functionName("function_name", request.getFunctionName());
      return controlPlane.lookupFunction(request.getEnvironment(), request.getAppName(), request.getFunctionName());
    });
  }

  @Override
  public void rollbackApp(RollbackAppRequest request, StreamObserver<RollbackAppResponse> response) {
    unary(response, () -> {
      RequestFields.appName("app_name", request.getAppName());
      if (request.getVersion() < 0) {
        throw CoreException.invalid("version must be 0 (the one before the current) or more, was "
            + request.getVersion());
      }
      return controlPlane.rollbackApp(request.getEnvironment(), request.getAppName(), request.getVersion());
    });
  }

  @Override
  public void listApps(ListAppsRequest request, StreamObserver<ListAppsResponse> response) {
    unary(response, () -> ListAppsResponse.newBuilder()
        .addAllApps(controlPlane.listApps(request.getEnvironment()))
        .setEngineVersion(ShoalVersion.VERSION)
        .build());
  }

  @Override
  public StreamObserver<SpawnMapRequest> spawnMap(StreamObserver<SpawnMapResponse> response) {
    return new SpawnMapStream(controlPlane, scope, Caller.current(), response);
  }

  @Override
  public void getMapProgress(GetMapProgressRequest request, StreamObserver<GetMapProgressResponse> response) {
    unary(response, () -> {
      RequestFields.callId("map_id", request.getMapId());
      scope.map(Caller.current(), "ClientService/GetMapProgress", request.getMapId());
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
      RequestFields.functionId("function_id", request.getFunctionId());
      scope.function(Caller.current(), "ClientService/GetFunctionStats", request.getFunctionId());
      PoolStats stats = controlPlane.functionStats(request.getFunctionId());
      return GetFunctionStatsResponse.newBuilder()
          .setLiveContainers(stats.liveContainers())
          .setQueuedInputs(stats.queuedInputs())
          .setRunningInputs(stats.runningInputs())
          .build();
    });
  }

  @Override
  public void updateAutoscaler(UpdateAutoscalerRequest request, StreamObserver<UpdateAutoscalerResponse> response) {
    unary(response, () -> {
      RequestFields.functionId("function_id", request.getFunctionId());
      AutoscalerUpdate update = new AutoscalerUpdate(
          request.hasMinContainers() ? request.getMinContainers() : null,
          request.hasMaxContainers() ? request.getMaxContainers() : null,
          request.hasBufferContainers() ? request.getBufferContainers() : null,
          request.hasScaledownWindowMs() ? request.getScaledownWindowMs() : null);
      return UpdateAutoscalerResponse.newBuilder()
          .setDefinition(controlPlane.updateAutoscaler(request.getFunctionId(), update))
          .build();
    });
  }

  @Override
  public void getMapResults(GetMapResultsRequest request, StreamObserver<GetMapResultsResponse> response) {
    unary(response, () -> {
      RequestFields.callId("map_id", request.getMapId());
      scope.map(Caller.current(), "ClientService/GetMapResults", request.getMapId());
      int limit = request.getLimit() == 0 ? MAP_RESULTS_PAGE : Math.min(request.getLimit(), MAP_RESULTS_PAGE);
      if (!request.getUnordered()) {
        return controlPlane.mapResults(request.getMapId(), request.getFromIndex(), limit);
      }
      if (request.getReturned().size() > (Calls.UNORDERED_WINDOW + 7) / 8) {
        throw new CoreException(CoreException.Kind.INVALID_ARGUMENT, "returned holds "
            + request.getReturned().size() + " bytes; a window of " + Calls.UNORDERED_WINDOW
            + " inputs needs at most " + (Calls.UNORDERED_WINDOW + 7) / 8);
      }
      return controlPlane.mapResultsUnordered(request.getMapId(), request.getFromIndex(), limit,
          BitSet.valueOf(request.getReturned().asReadOnlyByteBuffer()));
    });
  }

  @Override
  public void cancelMap(CancelMapRequest request, StreamObserver<CancelMapResponse> response) {
    unary(response, () -> {
      RequestFields.callId("map_id", request.getMapId());
      scope.map(Caller.current(), "ClientService/CancelMap", request.getMapId());
      controlPlane.cancelMap(request.getMapId());
      return CancelMapResponse.getDefaultInstance();
    });
  }

  @Override
  public void missingArtifacts(MissingArtifactsRequest request, StreamObserver<MissingArtifactsResponse> response) {
    unary(response, () -> {
      RequestFields.count("hashes", request.getHashesCount());
      request.getHashesList().forEach(h -> RequestFields.hash("hashes", h));
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
            upload = controlPlane.artifacts().upload(RequestFields.hash("hash", chunk.getHash()));
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
        } catch (CoreException e) {
          fail(CoreStatus.exception(e));
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
          done = true;
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
}
