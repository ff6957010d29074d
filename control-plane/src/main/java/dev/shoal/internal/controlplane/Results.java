package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;

/** Results that the control plane itself decides, such as a cancellation or a timeout. */
final class Results {
  private Results() {}

  static Result of(ResultStatus status, String type, String message) {
    return Result.newBuilder()
        .setStatus(status)
        .setFailure(Failure.newBuilder().setType(type).setMessage(message))
        .build();
  }

  static Result cancelled(String why) {
    return of(ResultStatus.CANCELLED, "dev.shoal.CancelledException", why);
  }

  static Result initFailure(Failure cause, String functionName) {
    return Result.newBuilder()
        .setStatus(ResultStatus.INIT_FAILURE)
        .setFailure(cause.toBuilder()
            .setMessage("containers of function " + functionName + " failed to start: " + cause.getMessage()))
        .build();
  }
}
