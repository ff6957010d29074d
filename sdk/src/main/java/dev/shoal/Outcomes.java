package dev.shoal;

import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.Codec;
import dev.shoal.internal.codec.CodecException;
import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.StackFrame;
import com.google.protobuf.UnsafeByteOperations;

/** Converts between user values and payloads, and between wire results and values or exceptions. */
final class Outcomes {
  private Outcomes() {}

  /**
   * Encodes an argument at the call site, so that a value that cannot travel, or that the container's policy
   * would refuse, fails before anything is sent.
   */
  static Payload encodeArgument(String functionName, Object argument, ClassPolicy policy) {
    try {
      return Payload.newBuilder()
          .setCodec(Codec.ID)
          .setData(UnsafeByteOperations.unsafeWrap(Codec.encode(argument, policy)))
          .build();
    } catch (CodecException e) {
      throw new InvalidOptionException(
          "the argument to " + functionName + " cannot be sent to a container: " + e.getMessage(), e);
    }
  }

  static Object decode(Payload payload, ClassPolicy policy) {
    try {
      Codec.requireId(payload.getCodec(), "the result");
      return Codec.decode(payload.getData().toByteArray(), policy);
    } catch (CodecException e) {
      throw new ShoalException("cannot decode a result: " + e.getMessage(), e);
    }
  }

  /** The value of a successful result, or the exception a failed one stands for. */
  static <O> Result<O> toResult(dev.shoal.protocol.v1.Result result, ClassPolicy policy) {
    if (result.getStatus() == dev.shoal.protocol.v1.ResultStatus.SUCCESS) {
      @SuppressWarnings("unchecked")
      O value = (O) decode(result.getValue(), policy);
      return new Result.Success<>(value);
    }
    return new Result.Failure<>(toException(result));
  }

  static ShoalException toException(dev.shoal.protocol.v1.Result result) {
    Failure f = result.getFailure();
    return switch (result.getStatus()) {
      case FAILURE, INIT_FAILURE -> remote(f);
      case TIMEOUT -> new FunctionTimeoutException(f.getMessage());
      case CANCELLED -> new CancelledException(f.getMessage().isEmpty() ? "the call was cancelled" : f.getMessage());
      case INTERNAL_FAILURE -> new ShoalException(f.getMessage());
      default -> new ShoalException("unexpected result status " + result.getStatus() + ": " + f.getMessage());
    };
  }

  private static RemoteException remote(Failure f) {
    return new RemoteException(f.getType(), f.getMessage(), trace(f));
  }

  private static RemoteException.RemoteStackTrace trace(Failure f) {
    RemoteException.RemoteStackTrace cause = f.hasCause() ? trace(f.getCause()) : null;
    StackTraceElement[] frames = new StackTraceElement[f.getFramesCount()];
    for (int i = 0; i < frames.length; i++) {
      StackFrame s = f.getFrames(i);
      frames[i] = new StackTraceElement(
          s.getClassName(), s.getMethodName(), s.getFileName().isEmpty() ? null : s.getFileName(), s.getLineNumber());
    }
    return new RemoteException.RemoteStackTrace(f.getType(), f.getMessage(), frames, cause);
  }
}
