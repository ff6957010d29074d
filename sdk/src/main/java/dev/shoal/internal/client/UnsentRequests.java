package dev.shoal.internal.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * Names a request that a closed connection kept from being sent as the outage it is. When the engine goes away, the
 * client learns it only once its network thread has read the connection's end; a call begun before that is given
 * the dead connection, and gRPC's Netty transport fails the write of its first frame with UNKNOWN "channel closed".
 * No byte of such a request reached the engine (its headers come first and were not written), so it is reported as
 * UNAVAILABLE with a {@link NotSent} cause: retried like any outage, and repeatable even for a request that must not
 * run twice ({@link OutageRetry#neverSent}).
 */
final class UnsentRequests implements ClientInterceptor {
  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            super.onClose(explain(status), trailers);
          }
        }, headers);
      }
    };
  }

  /** UNAVAILABLE with a {@link NotSent} cause when {@code status} is a write refused by a closed connection. */
  static Status explain(Status status) {
    if (status.getCode() != Status.Code.UNKNOWN || !closedConnection(status.getCause())) {
      return status;
    }
    return Status.UNAVAILABLE.withDescription("the connection to the engine had closed before the request was sent")
        .withCause(new NotSent(status.getCause()));
  }

  private static boolean closedConnection(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof ClosedChannelException) {
        return true;
      }
    }
    return false;
  }

  /** The cause of a failure that proves its request never left this process. */
  static final class NotSent extends IOException {
    private static final long serialVersionUID = 1L;

    NotSent(Throwable cause) {
      super("the request was not sent: its connection was already closed", cause);
    }
  }
}
