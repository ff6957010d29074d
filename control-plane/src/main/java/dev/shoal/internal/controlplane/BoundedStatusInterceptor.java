package dev.shoal.internal.controlplane;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Bounds the description of every status a service closes a call with ({@link BoundedQuote#description}), so that
 * the caller receives the status the service chose. A description past the 8 KiB that a client accepts in
 * trailers reaches it as {@code INTERNAL: http2 exception} instead. The services quote request fields boundedly
 * already; this catches what they embed from elsewhere, such as an exception's message.
 */
public final class BoundedStatusInterceptor implements ServerInterceptor {
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        String description = status.getDescription();
        String bounded = BoundedQuote.description(description);
        super.close(bounded == description ? status : status.withDescription(bounded), trailers);
      }
    }, headers);
  }
}
