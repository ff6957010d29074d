package dev.shoal.internal.client;

import dev.shoal.Result;
import dev.shoal.ShoalException;
import dev.shoal.internal.client.PublicApi.Failure;
import dev.shoal.internal.client.payload.Payloads;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.CodecException;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.StackFrame;
import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Converts between user values and payloads, and between wire results and values or exceptions. */
final class Outcomes {
  private static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));

  private Outcomes() {}

  /**
   * Encodes an argument at the call site, so that a value that cannot travel, that the container's policy would
   * refuse, or that is over the payload limit fails before anything is sent; a large one is uploaded here.
   */
  static Payload encodeArgument(String functionName, Object argument, ClassPolicy policy, PayloadLimits limits,
      EngineConnection connection) {
    try {
      return Payloads.encode(argument, policy, limits, connection.channel());
    } catch (CodecException e) {
      throw PublicApi.failure(Failure.INVALID_OPTION,
          "the argument to " + functionName + " cannot be sent to a container: " + e.getMessage(), e);
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "upload the argument of " + functionName + " to " + connection.description());
    } catch (UncheckedIOException e) {
      throw PublicApi.failure(Failure.GENERAL,
          "cannot encode the argument of " + functionName + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decodes a result's value, downloading it first when it is a blob.
   *
   * @param release whether the result is not kept by the engine (remote, map), so that its blob may go once
   *     downloaded
   */
  static Object decode(Payload payload, ClassPolicy policy, EngineConnection connection, boolean release) {
    try {
      return Payloads.decode(payload, "the result", policy, connection.channel(), release, TEMP);
    } catch (CodecException e) {
      throw PublicApi.failure(Failure.GENERAL, "cannot decode a result: " + e.getMessage(), e);
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "download a result from " + connection.description());
    } catch (UncheckedIOException e) {
      throw PublicApi.failure(Failure.GENERAL, "cannot decode a result: " + e.getMessage(), e);
    }
  }

  /** The value of a successful result, or the exception a failed one stands for. */
  static <O> Result<O> toResult(dev.shoal.protocol.v1.Result result, ClassPolicy policy,
      EngineConnection connection, boolean release) {
    if (result.getStatus() == dev.shoal.protocol.v1.ResultStatus.SUCCESS) {
      @SuppressWarnings("unchecked")
      O value = (O) decode(result.getValue(), policy, connection, release);
      return new Result.Success<>(value);
    }
    return new Result.Failure<>(toException(result));
  }

  static ShoalException toException(dev.shoal.protocol.v1.Result result) {
    dev.shoal.protocol.v1.Failure f = result.getFailure();
    return switch (result.getStatus()) {
      case FAILURE, INIT_FAILURE -> PublicApi.remote(f.getType(), f.getMessage(), trace(f));
      case TIMEOUT -> PublicApi.failure(Failure.FUNCTION_TIMEOUT, f.getMessage());
      case CANCELLED -> PublicApi.failure(Failure.CANCELLED,
          f.getMessage().isEmpty() ? "the call was cancelled" : f.getMessage());
      case INTERNAL_FAILURE -> PublicApi.failure(Failure.GENERAL, f.getMessage());
      default -> PublicApi.failure(Failure.GENERAL,
          "unexpected result status " + result.getStatus() + ": " + f.getMessage());
    };
  }

  private static Throwable trace(dev.shoal.protocol.v1.Failure f) {
    Throwable cause = f.hasCause() ? trace(f.getCause()) : null;
    StackTraceElement[] frames = new StackTraceElement[f.getFramesCount()];
    for (int i = 0; i < frames.length; i++) {
      StackFrame s = f.getFrames(i);
      frames[i] = new StackTraceElement(
          s.getClassName(), s.getMethodName(), s.getFileName().isEmpty() ? null : s.getFileName(), s.getLineNumber());
    }
    return PublicApi.remoteTrace(f.getType(), f.getMessage(), frames, cause);
  }
}
