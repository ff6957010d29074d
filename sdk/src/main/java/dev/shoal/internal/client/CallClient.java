package dev.shoal.internal.client;

import dev.shoal.CallStatus;
import dev.shoal.Result;
import dev.shoal.internal.client.PublicApi.Failure;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.protocol.v1.AwaitResultRequest;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.CancelCallRequest;
import dev.shoal.protocol.v1.GetCallStatusRequest;
import dev.shoal.protocol.v1.StreamLogsRequest;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;

/** What {@code FunctionCall} asks the engine about one spawned call: its result, its status, its cancellation. */
public final class CallClient {
  private final EngineConnection connection;
  private final String id;
  /** The classes its result may hold; null to find them from the app class the engine names. */
  private final ClassPolicy policy;

  CallClient(EngineConnection connection, String id, ClassPolicy policy) {
    this.connection = connection;
    this.id = id;
    this.policy = policy;
  }

  /** The call with this id, on the engine this process (or the container it runs in) talks to. */
  public static CallClient of(String id) {
    return new CallClient(Engines.current(), id, null);
  }

  public String id() {
    return id;
  }

  public CallStatus status() {
    GetCallStatusRequest request = GetCallStatusRequest.newBuilder().setCallId(id).build();
    try {
      return switch (connection.retry().call("get the status of call " + id,
          () -> connection.blocking().getCallStatus(request)).getState()) {
        case PENDING -> CallStatus.PENDING;
        case RUNNING -> CallStatus.RUNNING;
        case SUCCEEDED -> CallStatus.SUCCEEDED;
        case FAILED -> CallStatus.FAILED;
        case CANCELLED_STATE -> CallStatus.CANCELLED;
        case TIMED_OUT -> CallStatus.TIMED_OUT;
        default -> throw PublicApi.failure(Failure.GENERAL, "the engine reported no state for call " + id);
      };
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "get the status of call " + id);
    }
  }

  /**
   * Cancels the call and, when asked, stops the containers running it. Repeating a cancel changes nothing, so it
   * is tried again while the engine cannot be reached.
   */
  public void cancel(boolean terminateContainers) {
    CancelCallRequest request =
        CancelCallRequest.newBuilder().setCallId(id).setTerminateContainers(terminateContainers).build();
    try {
      connection.retry().call("cancel call " + id, () -> connection.blocking().cancelCall(request));
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "cancel call " + id);
    }
  }

  /**
   * The call's own lines of its app's log, oldest first, as they are now. Reading is safe to repeat, so it is
   * tried again while the engine cannot be reached.
   */
  public List<String> logs() {
    StreamLogsRequest request = StreamLogsRequest.newBuilder().setCallId(id).build();
    try {
      return connection.retry().call("read the logs of call " + id, () -> {
        List<String> lines = new ArrayList<>();
        connection.blocking().streamLogs(request)
            .forEachRemaining(batch -> batch.getEntriesList().forEach(e -> lines.add(e.getText())));
        return List.copyOf(lines);
      });
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "read the logs of call " + id);
    }
  }

  /**
   * The call's result, or null if it has not finished within the timeout.
   *
   * @param callerDeadlineNanos when the caller stops waiting (on {@link System#nanoTime()}'s clock), which ends the
   *     retries through an outage too
   */
  public <O> Result<O> await(long timeoutMs, long callerDeadlineNanos) {
    AwaitResultResponse response;
    try {
      response = connection.awaitResult(
          AwaitResultRequest.newBuilder().setCallId(id).setTimeoutMs(timeoutMs).build(), callerDeadlineNanos);
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "get the result of call " + id);
    }
    if (!response.getDone()) {
      return null;
    }
    if (response.getExpired()) {
      throw PublicApi.failure(Failure.OUTPUT_EXPIRED, "the result of call " + id + " is no longer kept: results"
          + " are retained for a limited time after the call finishes (7 days unless the server says otherwise)");
    }
    return Outcomes.toResult(response.getResult(), policyFor(response.getAppClass()), connection, false);
  }

  private ClassPolicy policyFor(String appClass) {
    return policy != null ? policy : FunctionCalls.policyFor(appClass);
  }
}
