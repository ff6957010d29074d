package dev.shoal.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.internal.client.Channels;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.ContainerOutputs;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.Hello;
import dev.shoal.protocol.v1.Welcome;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A container's stream against a real in-process gRPC server that goes away and comes back under the same name, as
 * a control plane's next life comes back at the same address.
 */
class ContainerStreamReconnectTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final String name = "reconnect-" + UUID.randomUUID();
  private final Events events = new Events();
  private Server server;
  private ContainerStream stream;

  @AfterEach
  void close() throws InterruptedException {
    if (stream != null) {
      stream.cancel();
      stream.closeChannel();
    }
    stopServer();
  }

  @Test
  void aStreamBrokenByTheServerGoingAwayResumesWithItsHeldInputsAndSendsTheOutputsKeptMeanwhile()
      throws Exception {
    ControlPlaneLife first = startServer(false);
    connectAndServe(Duration.ofSeconds(60), List.of("in-running"));

    stopServer();
    await().atMost(WAIT).until(() -> first.ended.get() && stream.reconnecting());
    // Finished while no control plane listens: kept, and listed in the resuming hello.
    stream.send(outputs("in-finished"));
    ControlPlaneLife next = startServer(false);

    await().atMost(WAIT).until(() -> events.resumed.get() == 1);
    Hello hello = next.hellos.peek();
    assertThat(hello.getResuming()).isTrue();
    assertThat(hello.getHeldInputIdsList()).containsExactlyInAnyOrder("in-running", "in-finished");
    await().atMost(WAIT).until(() -> next.outputs.contains("in-finished"));
    assertThat(events.welcomes.get()).as("a resumed container is not welcomed as a new one").isEqualTo(1);
    assertThat(events.ended.get()).isNull();

    stream.send(outputs("in-running"));
    await().atMost(WAIT).until(() -> next.outputs.contains("in-running"));
  }

  @Test
  void aContainerTheNextLifeRefusesEnds() throws Exception {
    startServer(false);
    connectAndServe(Duration.ofSeconds(60), List.of());

    stopServer();
    startServer(true);

    await().atMost(WAIT).until(() -> events.ended.get() != null);
    assertThat(events.ended.get()).as("failed").isTrue();
    assertThat(events.resumed.get()).isZero();
  }

  @Test
  void aContainerNobodyTakesBackWithinItsWindowEnds() throws Exception {
    startServer(false);
    connectAndServe(Duration.ofSeconds(1), List.of());

    stopServer();

    await().atMost(WAIT).until(() -> events.ended.get() != null);
    assertThat(events.ended.get()).isTrue();
  }

  @Test
  void aStreamTheControlPlaneCompletesEndsTheContainerWithoutReconnecting() throws Exception {
    ControlPlaneLife life = startServer(false);
    connectAndServe(Duration.ofSeconds(60), List.of());

    life.commands.get().onCompleted();

    await().atMost(WAIT).until(() -> events.ended.get() != null);
    assertThat(events.ended.get()).as("failed").isFalse();
    assertThat(life.hellos).hasSize(1);
  }

  @Test
  void withoutAWindowABrokenStreamEndsTheContainerAsBefore() throws Exception {
    startServer(false);
    connectAndServe(Duration.ZERO, List.of());

    stopServer();

    await().atMost(WAIT).until(() -> events.ended.get() != null);
    assertThat(events.ended.get()).isTrue();
  }

  private void connectAndServe(Duration window, List<String> held) {
    stream = ContainerStream.open(Channels.IN_PROCESS_PREFIX + name, "ct-1", "tk-1", events);
    stream.hello();
    await().atMost(WAIT).until(() -> events.welcomes.get() == 1);
    stream.resumeWithin(window, () -> held);
  }

  private ControlPlaneLife startServer(boolean refuseResuming) throws IOException {
    ControlPlaneLife life = new ControlPlaneLife(refuseResuming);
    server = InProcessServerBuilder.forName(name).directExecutor().addService(life).build().start();
    return life;
  }

  private void stopServer() throws InterruptedException {
    if (server != null) {
      server.shutdownNow();
      assertThat(server.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      server = null;
    }
  }

  private static ContainerMessage outputs(String inputId) {
    return ContainerMessage.newBuilder()
        .setOutputs(ContainerOutputs.newBuilder().setWindow(1).addOutputs(ContainerOutput.newBuilder()
            .setInputId(inputId)))
        .build();
  }

  /** One life of a control plane: welcomes every hello, or refuses a resuming one; records what it hears. */
  private static final class ControlPlaneLife extends ContainerServiceGrpc.ContainerServiceImplBase {
    final boolean refuseResuming;
    final ConcurrentLinkedQueue<Hello> hellos = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> outputs = new ConcurrentLinkedQueue<>();
    final AtomicReference<StreamObserver<ContainerCommand>> commands = new AtomicReference<>();
    final AtomicBoolean ended = new AtomicBoolean();

    ControlPlaneLife(boolean refuseResuming) {
      this.refuseResuming = refuseResuming;
    }

    @Override
    public StreamObserver<ContainerMessage> serve(StreamObserver<ContainerCommand> out) {
      commands.set(out);
      return new StreamObserver<>() {
        @Override
        public void onNext(ContainerMessage message) {
          if (message.hasHello()) {
            hellos.add(message.getHello());
            if (message.getHello().getResuming() && refuseResuming) {
              out.onError(Status.UNAUTHENTICATED.withDescription("unknown container").asRuntimeException());
            } else {
              out.onNext(ContainerCommand.newBuilder()
                  .setWelcome(Welcome.newBuilder().setContainerId(message.getHello().getContainerId())).build());
            }
          } else if (message.hasOutputs()) {
            message.getOutputs().getOutputsList().forEach(o -> outputs.add(o.getInputId()));
          }
        }

        @Override
        public void onError(Throwable t) {
          ended.set(true);
        }

        @Override
        public void onCompleted() {
          ended.set(true);
        }
      };
    }
  }

  /** What the container hears; {@link ContainerStreamEndTest} listens with it too. */
  static final class Events implements ContainerStream.Listener {
    final AtomicInteger welcomes = new AtomicInteger();
    final AtomicInteger resumed = new AtomicInteger();
    final AtomicReference<Boolean> ended = new AtomicReference<>();

    @Override
    public void welcome(Welcome welcome) {
      welcomes.incrementAndGet();
    }

    @Override
    public void inputs(List<ContainerInput> inputs) {}

    @Override
    public void cancel(List<String> inputIds) {}

    @Override
    public void shutdown() {}

    @Override
    public void ended(boolean failed) {
      ended.compareAndSet(null, failed);
    }

    @Override
    public void ready() {}

    @Override
    public void resumed() {
      resumed.incrementAndGet();
    }
  }
}
