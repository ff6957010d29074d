package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class UnsentRequestsTest {
  private static final MethodDescriptor<InputStream, InputStream> METHOD =
      MethodDescriptor.<InputStream, InputStream>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test/Call")
          .setRequestMarshaller(new Bytes())
          .setResponseMarshaller(new Bytes())
          .build();

  /** What gRPC's Netty transport reports when the first frame of a call is written to a closed connection. */
  private static Status writtenToAClosedConnection() {
    ClosedChannelException reported = new ClosedChannelException();
    reported.initCause(new ClosedChannelException());
    return Status.UNKNOWN.withDescription("channel closed").withCause(reported);
  }

  @Test
  void aCallWhoseConnectionHadClosedBeforeItWasWrittenFailsAsAnOutageThatNeverSentIt() {
    StatusRuntimeException failure = call(writtenToAClosedConnection());

    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure.getStatus().getDescription()).contains("closed before the request was sent");
    assertThat(OutageRetry.isOutage(failure)).isTrue();
    assertThat(OutageRetry.neverSent(failure)).isTrue();
  }

  @Test
  void otherFailuresPassUnchanged() {
    Status unknown = Status.UNKNOWN.withDescription("boom").withCause(new IllegalStateException("boom"));
    Status reset = Status.UNAVAILABLE.withDescription("io exception")
        .withCause(new java.io.IOException("Connection reset"));

    assertThat(call(unknown).getStatus()).isSameAs(unknown);
    assertThat(call(reset).getStatus()).isSameAs(reset);
    assertThat(OutageRetry.neverSent(call(reset))).isFalse();
  }

  /** Makes a call through the interceptor on a channel whose calls all end with {@code status}. */
  private static StatusRuntimeException call(Status status) {
    Channel failing = new Channel() {
      @Override
      public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
        return new ClientCall<>() {
          private Listener<R> listener;

          @Override
          public void start(Listener<R> listener, Metadata headers) {
            this.listener = listener;
          }

          @Override
          public void request(int count) {}

          @Override
          public void cancel(String message, Throwable cause) {}

          @Override
          public void halfClose() {
            listener.onClose(status, new Metadata());
          }

          @Override
          public void sendMessage(Q message) {}
        };
      }

      @Override
      public String authority() {
        return "test";
      }
    };
    Channel channel = ClientInterceptors.intercept(failing, new UnsentRequests());
    try {
      ClientCalls.blockingUnaryCall(channel, METHOD, CallOptions.DEFAULT, new ByteArrayInputStream(new byte[0]));
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<InputStream> {
    @Override
    public InputStream stream(InputStream value) {
      return value;
    }

    @Override
    public InputStream parse(InputStream stream) {
      return stream;
    }
  }
}
