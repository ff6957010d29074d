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
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Names a failure to connect that no retry can cure: a plaintext client and a TLS server, or the reverse, or a
 * server certificate this client does not trust. gRPC reports each as UNAVAILABLE with a transport's message ("first
 * received frame was not SETTINGS", "not an SSL/TLS record"), which the client would retry as an outage and then
 * report as an unreachable server. This turns it into FAILED_PRECONDITION with what to change, which is not retried.
 */
record TransportMismatch(String address, boolean tls) implements ClientInterceptor {
  private static final int PROBE_TIMEOUT_MILLIS = 5_000;

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            super.onClose(status.getCode() == Status.Code.UNAVAILABLE ? explain(status) : status, trailers);
          }
        }, headers);
      }
    };
  }

  /** The status that names the mismatch behind {@code status}, or {@code status} itself when there is none. */
  Status explain(Status status) {
    if (tls) {
      SSLException ssl = sslCause(status.getCause());
      if (ssl == null) {
        return status;
      }
      String message = String.valueOf(ssl.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("not an ssl/tls record") || message.contains("unrecognized ssl message")
          || ssl.getClass().getSimpleName().equals("NotSslRecordException")) {
        return Status.FAILED_PRECONDITION.withCause(status.getCause()).withDescription("the server at " + address
            + " does not use TLS (it was started without --tls-cert), and this client does: reach it as " + address
            + ", without https:// and without SHOAL_TLS_CA");
      }
      return Status.FAILED_PRECONDITION.withCause(status.getCause()).withDescription("cannot verify the TLS"
          + " certificate of the server at " + address + " (" + ssl.getMessage() + "): trust the authority that"
          + " signed it with SHOAL_TLS_CA (a PEM file), or name the host its certificate is for with"
          + " SHOAL_TLS_SERVER_NAME");
    }
    String description = String.valueOf(status.getDescription()).toLowerCase(Locale.ROOT);
    // A TLS server answers HTTP/2's plaintext preface with an alert (a record of type 0x15, version 0x03), or, as
    // the JDK's TLS does, by closing the connection without a word; only then is it asked whether it speaks TLS.
    boolean alert = description.contains("first received frame was not settings")
        && (description.contains("1503") || description.contains("1603"));
    if (alert || description.contains("network closed for unknown reason") && speaksTls()) {
      return Status.FAILED_PRECONDITION.withCause(status.getCause()).withDescription("the server at " + address
          + " uses TLS (it was started with --tls-cert), and this client does not: reach it as https://" + address
          + ", with SHOAL_TLS_CA naming the authority that signed its certificate unless the JDK trusts it");
    }
    return status;
  }

  /**
   * Whether the server answers a TLS handshake with a certificate. Nothing is sent past the handshake, so its
   * certificate need not be trusted: one that is not still shows that the server speaks TLS.
   */
  private boolean speaksTls() {
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MILLIS);
      socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
      try (SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
          .createSocket(socket, host, port, false)) {
        tls.startHandshake();
        return true;
      }
    } catch (SSLHandshakeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof CertificateException) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static SSLException sslCause(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof SSLException ssl) {
        return ssl;
      }
    }
    return null;
  }
}
