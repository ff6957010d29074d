package dev.shoal.internal.client;

import dev.shoal.ShoalException;
import dev.shoal.internal.client.PublicApi.Failure;
import dev.shoal.protocol.v1.CallRequest;
import dev.shoal.protocol.v1.CallResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Translates the engine's gRPC failures into Shoal's exceptions, at the edge of the transport, and sends the one
 * request that must not run twice.
 */
public final class EngineErrors {
  private EngineErrors() {}

  /**
   * Sends a {@code remote} call, which carries no idempotency key and keeps no result on the engine: it is tried
   * again through an outage only while every failure proves the request never left this process (the connection
   * could not be made). Once it may have reached the engine, a lost connection is reported instead, saying that
   * the call may have run, so that a caller who retries it knows it may run twice.
   */
  static CallResponse callOnce(EngineConnection connection, CallRequest request, String doing) {
    try {
      return connection.retry().call(doing, () -> {
        try {
          return connection.blocking().call(request);
        } catch (StatusRuntimeException e) {
          if (OutageRetry.isOutage(e) && !OutageRetry.neverSent(e)) {
            throw new MaybeRan(e);
          }
          throw e;
        }
      });
    } catch (MaybeRan e) {
      Status status = e.lost.getStatus();
      throw status.withDescription("the connection to the engine was lost while the call was on its way or"
          + " running, so it may have run, and its result is lost; it was not sent again, since a remote() call"
          + " may not be safe to repeat (spawn() is: it survives a server restart): "
          + (status.getDescription() == null ? status.getCode() : status.getDescription()))
          .withCause(e.lost).asRuntimeException();
    }
  }

  /** Carries an outage past the retry loop: the request may have reached the engine, so it is not repeated. */
  private static final class MaybeRan extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient StatusRuntimeException lost;

    MaybeRan(StatusRuntimeException lost) {
      super(null, null, false, false);
      this.lost = lost;
    }
  }

  /** The Shoal exception that a failed request stands for; {@code doing} completes "could not …". */
  public static ShoalException translate(StatusRuntimeException e, String doing) {
    Status status = e.getStatus();
    String detail = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
    return switch (status.getCode()) {
      case NOT_FOUND -> PublicApi.failure(Failure.NOT_FOUND, detail, e);
      case INVALID_ARGUMENT -> PublicApi.failure(Failure.INVALID_OPTION, detail, e);
      case UNAUTHENTICATED -> PublicApi.failure(Failure.UNAUTHENTICATED, detail, e);
      case CANCELLED -> PublicApi.failure(Failure.CANCELLED, "cancelled while trying to " + doing + ": " + detail, e);
      case UNAVAILABLE -> PublicApi.failure(Failure.GENERAL,
          "the Shoal engine is unavailable; could not " + doing + ": " + detail, e);
      default -> PublicApi.failure(Failure.GENERAL, "could not " + doing + ": " + status.getCode() + " " + detail, e);
    };
  }
}
