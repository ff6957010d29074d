package dev.shoal.internal.controlplane;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets a call through only with the server's token, or with the credential of a live container (which a
 * container gets at start and which dies with it). Nothing runs for a refused call.
 */
public final class TokenAuthInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String HOW_TO =
      "set SHOAL_TOKEN, or store it in a profile with `shoal profile add NAME --server HOST:PORT --token TOKEN --activate`; the"
          + " server printed its token at first start and keeps it in its data directory's file 'token'";

  private final byte[] token;
  private final ControlPlane controlPlane;

  public TokenAuthInterceptor(String token, ControlPlane controlPlane) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.controlPlane = controlPlane;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String header = headers.get(AUTHORIZATION);
    if (header == null || !header.startsWith("Bearer ")) {
      return refuse(call, "this Shoal server requires a token and none was sent: " + HOW_TO);
    }
    String credential = header.substring("Bearer ".length());
    if (MessageDigest.isEqual(credential.getBytes(StandardCharsets.UTF_8), token)) {
      return next.startCall(call, headers);
    }
    if (credential.startsWith("container:")) {
      String[] parts = credential.split(":", 3);
      if (parts.length == 3 && controlPlane.isContainerCredential(parts[1], parts[2])) {
        return next.startCall(call, headers);
      }
    }
    return refuse(call, "the token sent is not this Shoal server's: " + HOW_TO);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String why) {
    call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
