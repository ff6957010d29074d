package dev.shoal.internal.controlplane;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Lets a call through only with the server's token, or with the credential of a live container (which a
 * container gets at start and which dies with it). Nothing runs for a refused call. A call let through carries
 * its {@link Caller} in its {@link Context}, for the services to check what a container may reach.
 *
 * <p>A container's credential opens less than the token: serving its own inputs (the hello on its stream proves
 * which container it is, and the control plane gives it only its own function), what the code it runs may do
 * (call, spawn and map functions, look them up, wait for and cancel calls, use volumes), and nothing that
 * manages the server: it cannot start, stop or list apps, upload artifacts, read logs or delete volumes.
 */
public final class TokenAuthInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String HOW_TO =
      "set SHOAL_TOKEN, or store it in a profile with `shoal profile add NAME --server HOST:PORT --token TOKEN --activate`; the"
          + " server printed its token at first start and keeps it in its data directory's file 'token'";

  private static final String SERVE = "dev.shoal.protocol.v1.ContainerService/Serve";

  /** The methods a container's credential may call, by full gRPC method name. */
  static final Set<String> CONTAINER_METHODS = Set.of(
      "dev.shoal.protocol.v1.ContainerService/Serve",
      // A pod fetches its app's classpath before its JVM starts; the request proves which container asks.
      "dev.shoal.protocol.v1.ContainerService/FetchArtifact",
      "dev.shoal.protocol.v1.ClientService/Call",
      "dev.shoal.protocol.v1.ClientService/Map",
      "dev.shoal.protocol.v1.ClientService/SpawnBatch",
      "dev.shoal.protocol.v1.ClientService/AwaitResult",
      "dev.shoal.protocol.v1.ClientService/AwaitResults",
      "dev.shoal.protocol.v1.ClientService/CancelCall",
      "dev.shoal.protocol.v1.ClientService/GetCallStatus",
      "dev.shoal.protocol.v1.ClientService/LookupFunction",
      "dev.shoal.protocol.v1.ClientService/SpawnMap",
      "dev.shoal.protocol.v1.ClientService/GetMapProgress",
      "dev.shoal.protocol.v1.ClientService/CancelMap",
      "dev.shoal.protocol.v1.ClientService/GetFunctionStats",
      // A Cls parameter set first used inside a container gets its pool this way.
      "dev.shoal.protocol.v1.ClientService/RegisterFunctions",
      "dev.shoal.protocol.v1.VolumeService/EnsureVolume",
      "dev.shoal.protocol.v1.VolumeService/GetManifest",
      "dev.shoal.protocol.v1.VolumeService/MissingBlobs",
      "dev.shoal.protocol.v1.VolumeService/PutBlob",
      "dev.shoal.protocol.v1.VolumeService/GetBlob",
      "dev.shoal.protocol.v1.VolumeService/CommitVolume",
      "dev.shoal.protocol.v1.VolumeService/ReadVolumeFile",
      "dev.shoal.protocol.v1.VolumeService/ListVolumeDir",
      "dev.shoal.protocol.v1.BlobService/FindBlob", "dev.shoal.protocol.v1.BlobService/UploadBlob",
      "dev.shoal.protocol.v1.BlobService/DownloadBlob");

  private static final String EMBEDDED_HOW_TO = "this is an embedded Shoal engine, which serves only the JVM that"
      + " started it and that JVM's containers; run your code in that JVM, or start a server (`shoal server`) for"
      + " clients in other processes";

  private final byte[] token;
  private final ControlPlane controlPlane;
  private final String howTo;

  /** The interceptor of a server, whose clients hold its token. */
  public TokenAuthInterceptor(String token, ControlPlane controlPlane) {
    this(token, controlPlane, HOW_TO);
  }

  private TokenAuthInterceptor(String token, ControlPlane controlPlane, String howTo) {
    if (token.isEmpty()) {
      throw new IllegalArgumentException("a Shoal engine's token must not be empty");
    }
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.controlPlane = controlPlane;
    this.howTo = howTo;
  }

  /**
   * The interceptor of an embedded engine, whose secret never leaves its JVM: a refused caller is told that no
   * token will let it in, rather than how to find one.
   */
  public static TokenAuthInterceptor embedded(String secret, ControlPlane controlPlane) {
    return new TokenAuthInterceptor(secret, controlPlane, EMBEDDED_HOW_TO);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String header = headers.get(AUTHORIZATION);
    if (header == null || !header.startsWith("Bearer ")) {
      return refuse(call, "this Shoal engine requires a token and none was sent: " + howTo);
    }
    String credential = header.substring("Bearer ".length());
    if (MessageDigest.isEqual(credential.getBytes(StandardCharsets.UTF_8), token)) {
      return Contexts.interceptCall(Context.current().withValue(Caller.KEY, Caller.ADMIN), call, headers, next);
    }
    if (credential.startsWith("container:")) {
      String[] parts = credential.split(":", 3);
      var container = parts.length == 3
          ? controlPlane.containerCaller(parts[1], parts[2]) : java.util.Optional.<Caller.Container>empty();
      if (container.isPresent()) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!CONTAINER_METHODS.contains(method)) {
          call.close(Status.PERMISSION_DENIED.withDescription("a container's credential may not call " + method
              + "; only a client with the engine's token may"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(Caller.KEY, container.get()), call, headers,
            next);
      }
      if (parts.length == 3 && call.getMethodDescriptor().getFullMethodName().equals(SERVE)) {
        if (controlPlane.recovering()) {
          // It may be a container of the earlier life, which cannot be told until recovery is over.
          call.close(Status.UNAVAILABLE.withDescription("the control plane is recovering; try again"),
              new Metadata());
          return new ServerCall.Listener<>() {};
        }
        if (controlPlane.awaits(parts[1])) {
          // A container of the earlier life, not live here until its resuming hello adopts it: the hello proves
          // its token (ContainerServiceImpl), and the stream may name no other container.
          return Contexts.interceptCall(Context.current().withValue(Caller.KEY,
              new Caller.Container(parts[1], "", "", java.util.List.of())), call, headers, next);
        }
      }
    }
    return refuse(call, "the token sent is not this Shoal engine's: " + howTo);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String why) {
    call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
