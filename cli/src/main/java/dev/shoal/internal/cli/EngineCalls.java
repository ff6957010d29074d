package dev.shoal.internal.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/** Runs the engine calls of a command, turning the engine's refusals into the CLI's messages and exit codes. */
final class EngineCalls {
  private EngineCalls() {}

  /**
   * What {@code call} returns; a refusal with a description exits with it (3 for NOT_FOUND, 2 for INVALID_ARGUMENT,
   * else 1). An unreachable engine, a refused token or a deadline passes through, for {@link ExitCodes} to explain.
   */
  static <T> T rpc(Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      String why = e.getStatus().getDescription();
      if (why == null || code == Status.Code.UNAVAILABLE || code == Status.Code.UNAUTHENTICATED
          || code == Status.Code.DEADLINE_EXCEEDED) {
        throw e;
      }
      int exit = switch (code) {
        case NOT_FOUND -> ExitCodes.NOT_FOUND;
        case INVALID_ARGUMENT -> ExitCodes.USAGE;
        default -> ExitCodes.FAILED;
      };
      throw new CliException(exit, why, e);
    }
  }
}
