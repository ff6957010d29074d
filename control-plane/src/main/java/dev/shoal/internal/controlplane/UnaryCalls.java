package dev.shoal.internal.controlplane;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Answers a unary gRPC call from a body that either returns the response or throws why it cannot. */
public final class UnaryCalls {
  private UnaryCalls() {}

  /**
   * Sends what {@code body} returns, or the status it throws (a refusal of the core is translated to its status);
   * any other exception becomes INTERNAL with its
   * description, so the caller hears why rather than an empty UNKNOWN.
   */
  public static <T> void unary(StreamObserver<T> response, Supplier<T> body) {
    T result;
    try {
      result = body.get();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (CoreException e) {
      response.onError(CoreStatus.exception(e));
      return;
    } catch (RuntimeException e) {
      response.onError(Status.INTERNAL.withDescription(BoundedQuote.description(e.toString())).withCause(e)
          .asRuntimeException());
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }
}
