package dev.shoal.testing;

import dev.shoal.Backend;
import dev.shoal.internal.backend.local.ProcessBackend;
import dev.shoal.internal.backend.local.ThreadBackend;
import dev.shoal.internal.client.Channels;
import dev.shoal.internal.client.NetThreads;
import dev.shoal.internal.controlplane.ArtifactStore;
import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.TokenAuthInterceptor;
import dev.shoal.internal.controlplane.blob.BlobStore;
import dev.shoal.internal.controlplane.volume.LocalVolumeStore;
import dev.shoal.internal.controlplane.volume.Volumes;
import dev.shoal.internal.embedded.GuardedServices;
import dev.shoal.internal.store.memory.MemoryStore;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The embedded engine's parts, put together for one test: the control plane on the test's clock, an in-memory
 * store, volumes in a temporary directory, and one backend, thread containers or process containers. Clients reach
 * it over the in-process transport, process containers over loopback TCP, which is only opened for them.
 *
 * <p>Unlike the embedded engine, which is the JVM's for its whole life, this one ends with its test; the SDK
 * reaches it as it reaches a server, named by the {@code shoal.server} property, so it also takes the classpath
 * the SDK uploads to a server. Those uploads go to one directory for the whole JVM ({@link #ARTIFACTS}): they are
 * content-addressed, so the engines of later test classes find the test classpath there and nothing is sent again.
 */
final class MemoryEngine implements EngineUnderTest {
  private static final Duration RETENTION = Duration.ofDays(7);
  private static final ArtifactStore ARTIFACTS = new ArtifactStore(TemporaryFiles.directory("shoal-test-artifacts-"));

  private final String name = "shoal-test-" + UUID.randomUUID();
  private final String token = "test-" + UUID.randomUUID();
  private final Path volumesDir;
  private final BlobStore blobs;
  private final Volumes volumes;
  private final ControlPlane controlPlane;
  private final Server inProcess;
  private final Server tcp;

  MemoryEngine(Backend containers, TestClock clock) {
    Channels.quietNetty();
    volumesDir = TemporaryFiles.directory("shoal-test-volumes-");
    blobs = BlobStore.temporary(clock, RETENTION);
    volumes = new Volumes(new LocalVolumeStore(volumesDir), clock);
    String backendName = containers == Backend.THREADS ? "threads" : "processes";
    controlPlane = new ControlPlane(clock, new ClockScheduler(clock, name + "-timer"), new MemoryStore(), RETENTION,
        ARTIFACTS, backendName, blobs);
    List<ServerServiceDefinition> services = GuardedServices.of(controlPlane, volumes, blobs,
        new TokenAuthInterceptor(token, controlPlane));
    Server tcpServer = null;
    try {
      InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
      services.forEach(builder::addService);
      inProcess = builder.build().start();
      if (containers == Backend.PROCESSES) {
        NettyServerBuilder tcpBuilder = NetThreads.serverOn(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .maxInboundMessageSize(256 * 1024 * 1024);
        services.forEach(tcpBuilder::addService);
        tcpServer = tcpBuilder.build().start();
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot start the test's Shoal engine", e);
    }
    tcp = tcpServer;
    int cores = Runtime.getRuntime().availableProcessors();
    controlPlane.addBackend(containers == Backend.THREADS
        ? new ThreadBackend(target(), cores * 8)
        : new ProcessBackend(InetAddress.getLoopbackAddress().getHostAddress() + ":" + tcp.getPort(), cores));
  }

  @Override
  public ControlPlane controlPlane() {
    return controlPlane;
  }

  @Override
  public String target() {
    return Channels.IN_PROCESS_PREFIX + name;
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public void close() {
    if (controlPlane != null) {
      controlPlane.close();
    }
    for (Server server : new Server[] {tcp, inProcess}) {
      if (server != null) {
        server.shutdownNow();
        try {
          server.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (volumes != null) {
      volumes.close();
    }
    if (blobs != null) {
      blobs.close();
    }
    if (volumesDir != null) {
      TemporaryFiles.delete(volumesDir);
    }
  }
}
