package dev.shoal.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.internal.client.NetThreads;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.StartupFailed;
import dev.shoal.protocol.v1.Welcome;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a container's stream ends over a real TCP connection: what the container said last reaches the control plane
 * although its channel is shut down right after, as a container shuts it down before it exits.
 */
class ContainerStreamEndTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Larger than the connection's first flow-control window, so that part of it waits for the server's credit. */
  private static final int LARGE = 3 * 1024 * 1024;

  private Server server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Timeout(60)
  void aLargeLastMessageReachesTheControlPlaneAlthoughTheChannelIsShutDownRightAfterTheEnd() throws Exception {
    ControlPlane controlPlane = start(true);
    ContainerStream stream = connect(controlPlane);

    stream.send(startupFailed("x".repeat(LARGE)));
    stream.complete();
    stream.closeChannel();

    await().atMost(WAIT).until(() -> controlPlane.ended.get());
    assertThat(controlPlane.failure.get()).as("the StartupFailed the container sent").isNotNull();
    assertThat(controlPlane.failure.get().getMessage()).hasSize(LARGE);
  }

  @Test
  @Timeout(60)
  void endingReturnsWhenTheControlPlaneNeverClosesItsSide() throws Exception {
    ControlPlane controlPlane = start(false);
    ContainerStream stream = connect(controlPlane);

    stream.send(startupFailed("cannot load"));
    stream.complete();
    stream.closeChannel();

    await().atMost(WAIT).until(() -> controlPlane.ended.get());
    assertThat(controlPlane.failure.get().getMessage()).isEqualTo("cannot load");
  }

  private ControlPlane start(boolean closesOnEnd) throws IOException {
    ControlPlane controlPlane = new ControlPlane(closesOnEnd);
    server = NetThreads.serverOn(new InetSocketAddress("127.0.0.1", 0)).maxInboundMessageSize(64 * 1024 * 1024)
        .addService(controlPlane).build().start();
    return controlPlane;
  }

  private ContainerStream connect(ControlPlane controlPlane) {
    ContainerStream stream = ContainerStream.open("127.0.0.1:" + server.getPort(), "ct-1", "tk-1", new ContainerStreamReconnectTest.Events());
    stream.hello();
    await().atMost(WAIT).until(() -> controlPlane.welcomed.get());
    return stream;
  }

  private static ContainerMessage startupFailed(String message) {
    return ContainerMessage.newBuilder()
        .setStartupFailed(StartupFailed.newBuilder().setFailure(Failure.newBuilder()
            .setType("java.lang.IllegalStateException").setMessage(message)))
        .build();
  }

  /** Welcomes the container, records its StartupFailed, and closes its side when the container ends, if asked. */
  private static final class ControlPlane extends ContainerServiceGrpc.ContainerServiceImplBase {
    final boolean closesOnEnd;
    final AtomicBoolean welcomed = new AtomicBoolean();
    final AtomicReference<Failure> failure = new AtomicReference<>();
    final AtomicBoolean ended = new AtomicBoolean();

    ControlPlane(boolean closesOnEnd) {
      this.closesOnEnd = closesOnEnd;
    }

    @Override
    public StreamObserver<ContainerMessage> serve(StreamObserver<ContainerCommand> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(ContainerMessage message) {
          if (message.hasHello()) {
            out.onNext(ContainerCommand.newBuilder()
                .setWelcome(Welcome.newBuilder().setContainerId(message.getHello().getContainerId())).build());
            welcomed.set(true);
          } else if (message.hasStartupFailed()) {
            failure.set(message.getStartupFailed().getFailure());
          }
        }

        @Override
        public void onError(Throwable t) {
          ended.set(true);
        }

        @Override
        public void onCompleted() {
          ended.set(true);
          if (closesOnEnd) {
            out.onCompleted();
          }
        }
      };
    }
  }
}
