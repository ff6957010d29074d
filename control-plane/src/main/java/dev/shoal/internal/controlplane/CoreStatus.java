package dev.shoal.internal.controlplane;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The one place where the core's refusals become gRPC statuses, for the services that adapt the core to gRPC. */
final class CoreStatus {
  private CoreStatus() {}

  /** The status a refusal of the core is answered with: its kind's code and its message. */
  static Status of(CoreException e) {
    return Status.fromCodeValue(e.kind().code()).withDescription(e.getMessage()).withCause(e);
  }

  static StatusRuntimeException exception(CoreException e) {
    return of(e).asRuntimeException();
  }
}
