package dev.shoal.internal.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens gRPC channels to a target: {@code inprocess:NAME} for the embedded engine, {@code host:port} (plaintext,
 * unless certificates to trust are configured) or {@code https://host:port} (TLS) for a server.
 */
public final class Channels {
  public static final String IN_PROCESS_PREFIX = "inprocess:";
  /** The prefix of a server address reached over TLS. */
  public static final String TLS_PREFIX = "https://";
  private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

  private Channels() {}

  public static ManagedChannel open(String target) {
    return open(target, null);
  }

  /**
   * @param bearer the credential sent with every call ({@code authorization: Bearer …}), or null for none
   */
  public static ManagedChannel open(String target, String bearer) {
    return open(target, bearer, ServerTrust.fromEnvironment());
  }

  /**
   * @param bearer the credential sent with every call ({@code authorization: Bearer …}), or null for none
   * @param trust how a server reached over TLS is checked; see {@link ServerTrust} for when TLS is used
   */
  public static ManagedChannel open(String target, String bearer, ServerTrust trust) {
    List<ClientInterceptor> interceptors = new ArrayList<>();
    if (bearer != null) {
      interceptors.add(new BearerInterceptor(bearer));
    }
    if (target.startsWith(IN_PROCESS_PREFIX)) {
      return InProcessChannelBuilder.forName(target.substring(IN_PROCESS_PREFIX.length()))
          .directExecutor()
          .maxInboundMessageSize(MAX_MESSAGE_BYTES)
          .intercept(interceptors)
          .build();
    }
    quietNetty();
    boolean https = target.startsWith(TLS_PREFIX);
    String address = https ? target.substring(TLS_PREFIX.length()) : target;
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("server address must be host:port or https://host:port, was '" + target
          + "'");
    }
    String host = address.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("server address must be host:port or https://host:port, was '" + target
          + "'", e);
    }
    boolean tls = https || trust.pinsCertificates();
    NettyChannelBuilder builder = NetThreads.channelTo(host, port).maxInboundMessageSize(MAX_MESSAGE_BYTES);
    if (tls) {
      builder.sslContext(clientContext(trust));
      trust.serverName().ifPresent(builder::overrideAuthority);
    } else {
      builder.usePlaintext();
    }
    interceptors.add(new TransportMismatch(address, tls));
    interceptors.add(new UnsentRequests());
    return builder.intercept(interceptors).build();
  }

  /**
   * The TLS context of a client: the JDK's own TLS, never Netty's bundled native one, whose loading JDK 24 and later
   * would warn about on the user's terminal.
   */
  private static SslContext clientContext(ServerTrust trust) {
    SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK);
    String source = trust.caPem().isPresent() ? ServerTrust.CA_PEM_VARIABLE
        : trust.caFile().map(f -> ServerTrust.CA_VARIABLE + " (" + f + ")").orElse("the JDK's default trust store");
    if (trust.caPem().isEmpty() && trust.caFile().isPresent() && !Files.isReadable(trust.caFile().get())) {
      throw new IllegalArgumentException(source + " names no readable file of certificates to trust");
    }
    try {
      if (trust.caPem().isPresent()) {
        builder.trustManager(new ByteArrayInputStream(trust.caPem().get().getBytes(StandardCharsets.US_ASCII)));
      } else if (trust.caFile().isPresent()) {
        builder.trustManager(trust.caFile().get().toFile());
      }
      return builder.build();
    } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot trust the certificates of " + source + ": they must be PEM"
          + " certificates (-----BEGIN CERTIFICATE-----): " + e.getMessage(), e);
    }
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
    // The same for TLS: the JDK's own implementation, not the bundled BoringSSL library.
    if (System.getProperty("io.grpc.netty.shaded.io.netty.handler.ssl.noOpenSsl") == null) {
      System.setProperty("io.grpc.netty.shaded.io.netty.handler.ssl.noOpenSsl", "true");
    }
  }
}
