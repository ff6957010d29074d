package dev.shoal.internal.backend.kubernetes;

import dev.shoal.internal.client.AppRegistry;
import dev.shoal.internal.client.ArtifactUploader;
import dev.shoal.internal.client.Channels;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.Codec;
import dev.shoal.internal.controlplane.ArtifactStore;
import dev.shoal.internal.controlplane.ClientServiceImpl;
import dev.shoal.internal.controlplane.ContainerServiceImpl;
import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.TokenAuthInterceptor;
import dev.shoal.internal.store.StateStore;
import dev.shoal.internal.store.StoredContainer;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StartAppResponse;
import com.google.protobuf.ByteString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A whole control plane whose containers are pods of the mock API server: the real control plane and its gRPC
 * services behind the real token check, the Kubernetes backend, and the test JVM's classpath uploaded as
 * artifacts, which the pods' processes fetch by hash.
 */
final class PodCluster implements AutoCloseable {
  static final String NAMESPACE = "shoal-test";
  static final String TOKEN = "test-server-token";

  final ControlPlane controlPlane;
  final KubernetesBackend backend;
  private final Server grpc;
  private final ArtifactStore artifacts;

  private final StateStore store;

  PodCluster(KubernetesClient client, StateStore store, Path artifactDir, int capacity) {
    this(client, store, artifactDir, capacity, NAMESPACE, "shoal-runtime:test", null, 0);
  }

  /**
   * A control plane listening on loopback at {@code port}: the next life of one that listened there, which its pods
   * reach at the same address, as a Kubernetes Service keeps it through a restart.
   */
  PodCluster(KubernetesClient client, StateStore store, Path artifactDir, int capacity, int port) {
    this(client, store, artifactDir, capacity, NAMESPACE, "shoal-runtime:test", null, port);
  }

  /**
   * @param advertisedHost the host pods reach this control plane at, which then listens on every interface; null
   *     for loopback, where the simulated node's processes run
   */
  PodCluster(KubernetesClient client, StateStore store, Path artifactDir, int capacity, String namespace,
      String image, String advertisedHost) {
    this(client, store, artifactDir, capacity, namespace, image, advertisedHost, 0);
  }

  private PodCluster(KubernetesClient client, StateStore store, Path artifactDir, int capacity, String namespace,
      String image, String advertisedHost, int port) {
    Channels.quietNetty();
    this.store = store;
    artifacts = new ArtifactStore(artifactDir);
    controlPlane = new ControlPlane(Clock.systemUTC(), store, Duration.ofDays(1), artifacts, "kubernetes");
    controlPlane.recoveryPending();
    try {
      grpc = NettyServerBuilder.forAddress(advertisedHost == null
              ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port) : new InetSocketAddress(port))
          .maxInboundMessageSize(256 * 1024 * 1024)
          .addService(ServerInterceptors.intercept(new ClientServiceImpl(controlPlane),
              new TokenAuthInterceptor(TOKEN, controlPlane)))
          .addService(ServerInterceptors.intercept(new ContainerServiceImpl(controlPlane),
              new TokenAuthInterceptor(TOKEN, controlPlane)))
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String host = advertisedHost != null ? advertisedHost : InetAddress.getLoopbackAddress().getHostAddress();
    backend = new KubernetesBackend(client, new KubernetesOptions(namespace, image, host + ":" + grpc.getPort(),
        capacity, "shoal"));
    controlPlane.addBackend(backend);
    controlPlane.recover();
  }

  /** The port this control plane listens on. */
  int port() {
    return grpc.getPort();
  }

  /** Where this control plane listens, as {@code host:port} on loopback. */
  String target() {
    return "127.0.0.1:" + grpc.getPort();
  }

  /** Uploads the test JVM's classpath, as a client of a server does, and returns it as artifact entries. */
  List<String> uploadClasspath() {
    ManagedChannel channel = Channels.open("127.0.0.1:" + grpc.getPort(), TOKEN);
    try (EngineConnection connection = new EngineConnection(channel, "the test control plane", true, "main")) {
      return ArtifactUploader.upload(connection,
          Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
    }
  }

  /** Starts PodApp as a detached app with its functions' definitions changed by {@code change}. */
  StartAppResponse startApp(UnaryOperator<FunctionDefinition> change) {
    var registered = AppRegistry.find("pods", PodApp.class).orElseThrow();
    StartAppRequest.Builder request = StartAppRequest.newBuilder()
        .setAppName("pods")
        .setAppClass(PodApp.class.getName())
        .setDetach(true)
        .addAllClasspath(uploadClasspath());
    registered.functions().values().forEach(f -> request.addFunctions(change.apply(f.definition())));
    return controlPlane.startApp(request.build());
  }

  /** Calls a function with a string and returns its answer once it comes. */
  CompletableFuture<CallResponse> call(StartAppResponse app, String function, String argument) {
    CompletableFuture<CallResponse> answer = new CompletableFuture<>();
    Payload args = Payload.newBuilder().setCodec(Codec.ID).setData(ByteString.copyFrom(Codec.encode(argument)))
        .build();
    controlPlane.call(app.getFunctionIdsOrThrow(function), args, answer::complete);
    return answer;
  }

  static String value(CallResponse response) {
    return (String) Codec.decode(response.getResult().getValue().getData().toByteArray(),
        ClassPolicy.jdkOnly(PodCluster.class.getClassLoader()));
  }

  /**
   * Ends this control plane as a crash would: its connection to the API server and its port go first, so that
   * nothing it does while it stops reaches the cluster or its containers.
   */
  void crash(KubernetesClient itsClient) {
    // Its port goes first, as in a crash, and the containers' streams break while the control plane still runs,
    // which makes it forget their rows; a crash would leave them in the store.
    List<StoredContainer> rows = store.containers();
    itsClient.close();
    grpc.shutdownNow();
    controlPlane.close();
    rows.forEach(store::insertContainer);
  }

  /**
   * Stops this control plane gracefully, in the order a server stops: its port takes no new calls, the control
   * plane stops (handing its pods over to the next life), then the calls still open are cut.
   */
  @Override
  public void close() {
    grpc.shutdown();
    controlPlane.close();
    grpc.shutdownNow();
  }
}
