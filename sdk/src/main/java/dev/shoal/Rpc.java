package dev.shoal;

import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.client.OutageRetry;
import dev.shoal.protocol.v1.CallRequest;
import dev.shoal.protocol.v1.CallResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Translates gRPC failures into Shoal's exceptions, and sends the one request that must not run twice. */
final class Rpc {
  private Rpc() {}

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

  static ShoalException translate(StatusRuntimeException e, String doing) {
    Status status = e.getStatus();
    String detail = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
    return switch (status.getCode()) {
      case NOT_FOUND -> new NotFoundException(detail, e);
      case INVALID_ARGUMENT -> new InvalidOptionException(detail, e);
      case UNAUTHENTICATED -> new UnauthenticatedException(detail, e);
      case CANCELLED -> new CancelledException("cancelled while trying to " + doing + ": " + detail, e);
      case UNAVAILABLE -> new ShoalException("the Shoal engine is unavailable; could not " + doing + ": " + detail, e);
      default -> new ShoalException("could not " + doing + ": " + status.getCode() + " " + detail, e);
    };
  }
}
