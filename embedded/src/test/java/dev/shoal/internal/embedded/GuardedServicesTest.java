package dev.shoal.internal.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.TokenAuthInterceptor;
import dev.shoal.internal.controlplane.blob.BlobStore;
import dev.shoal.internal.controlplane.volume.LocalVolumeStore;
import dev.shoal.internal.controlplane.volume.Volumes;
import dev.shoal.internal.store.memory.MemoryStore;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one wiring of the services that the embedded engine and a server share. */
class GuardedServicesTest {
  @TempDir
  Path volumesDir;

  @Test
  void everyServiceIsThereAndRefusesACallerWithoutTheToken() throws Exception {
    BlobStore blobs = BlobStore.temporary(Clock.systemUTC(), Duration.ofDays(1));
    ControlPlane controlPlane = new ControlPlane(Clock.systemUTC(), new MemoryStore(), Duration.ofDays(1), null,
        "processes", blobs);
    Volumes volumes = new Volumes(new LocalVolumeStore(volumesDir), Clock.systemUTC());
    List<ServerServiceDefinition> services = GuardedServices.of(controlPlane, volumes, blobs,
        new TokenAuthInterceptor("the-token", controlPlane));
    String name = "guarded-" + UUID.randomUUID();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
    services.forEach(builder::addService);
    Server server = builder.build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      assertThat(services).extracting(s -> s.getServiceDescriptor().getName()).containsExactlyInAnyOrder(
          "dev.shoal.protocol.v1.ClientService", "dev.shoal.protocol.v1.ContainerService",
          "dev.shoal.protocol.v1.VolumeService", "dev.shoal.protocol.v1.BlobService",
          "dev.shoal.protocol.v1.SecretService");
      for (ServerServiceDefinition service : services) {
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
          assertThat(callWithoutToken(channel, method.getMethodDescriptor()).getCode())
              .as(method.getMethodDescriptor().getFullMethodName())
              .isEqualTo(Status.Code.UNAUTHENTICATED);
        }
      }
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
      controlPlane.close();
      volumes.close();
      blobs.close();
    }
  }

  /** Calls {@code method} with an empty request and no credential, and returns the status it ends with. */
  private static <Q, R> Status callWithoutToken(Channel channel, MethodDescriptor<Q, R> method) throws Exception {
    CompletableFuture<Status> closed = new CompletableFuture<>();
    ClientCall<Q, R> call = channel.newCall(method, CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage(method.parseRequest(new ByteArrayInputStream(new byte[0])));
    call.halfClose();
    return closed.get(30, TimeUnit.SECONDS);
  }
}
