package dev.shoal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Translates gRPC failures into Shoal's exceptions. */
final class Rpc {
  private Rpc() {}

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
