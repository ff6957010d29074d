package dev.shoal.internal.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.List;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/** Opens gRPC channels to a target: {@code inprocess:NAME} for the embedded engine, {@code host:port} otherwise. */
public final class Channels {
  public static final String IN_PROCESS_PREFIX = "inprocess:";
  private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

  private Channels() {}

  public static ManagedChannel open(String target) {
    return open(target, null);
  }

  /**
   * @param bearer the credential sent with every call ({@code authorization: Bearer …}), or null for none
   */
  public static ManagedChannel open(String target, String bearer) {
    List<ClientInterceptor> interceptors = bearer == null ? List.of() : List.of(new BearerInterceptor(bearer));
    if (target.startsWith(IN_PROCESS_PREFIX)) {
      return InProcessChannelBuilder.forName(target.substring(IN_PROCESS_PREFIX.length()))
          .directExecutor()
          .maxInboundMessageSize(MAX_MESSAGE_BYTES)
          .intercept(interceptors)
          .build();
    }
    quietNetty();
    int colon = target.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("server address must be host:port, was '" + target + "'");
    }
    String host = target.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("server address must be host:port, was '" + target + "'", e);
    }
    return NettyChannelBuilder.forAddress(host, port)
        .usePlaintext()
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .intercept(interceptors)
        .build();
  }

  /** The metadata key of Shoal's credentials. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The credential a container presents: its id and secret, valid while it lives. */
  public static String containerCredential(String containerId, String token) {
    return "container:" + containerId + ":" + token;
  }

  /** Adds the bearer credential to every call. */
  private record BearerInterceptor(String bearer) implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          headers.put(AUTHORIZATION, "Bearer " + bearer);
          super.start(listener, headers);
        }
      };
    }
  }

  /**
   * Keeps Netty on its pure-Java transport. Its native epoll transport would load a JNI library, which JDK 24 and
   * later warn about on the user's terminal; loopback and LAN traffic does not need it.
   */
  public static void quietNetty() {
    if (System.getProperty("io.grpc.netty.shaded.io.netty.transport.noNative") == null) {
      System.setProperty("io.grpc.netty.shaded.io.netty.transport.noNative", "true");
    }
  }
}
