package dev.shoal.benchmarks.jmh;

import dev.shoal.internal.controlplane.ClientServiceImpl;
import dev.shoal.internal.controlplane.ContainerServiceImpl;
import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerExitListener;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.internal.store.memory.MemoryStore;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.ContainerOutputs;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.Hello;
import dev.shoal.protocol.v1.MapEnd;
import dev.shoal.protocol.v1.MapInput;
import dev.shoal.protocol.v1.MapInputs;
import dev.shoal.protocol.v1.MapRequest;
import dev.shoal.protocol.v1.MapResponse;
import dev.shoal.protocol.v1.MapStart;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Ready;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import dev.shoal.protocol.v1.StartAppRequest;
import dev.shoal.protocol.v1.StopAppRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler's lease and complete, without user code or processes: a map of inputs goes through the real
 * control plane (queue, lease to containers within their windows, completion, ordered delivery back to the
 * caller) over gRPC's in-process transport, and each container answers every input it is leased at once with
 * the input as its output. Reported per input: what the control plane itself costs a map, the part of
 * {@code map} throughput that no container can win back.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SchedulerBenchmark {
  private static final int INPUTS = 10_000;
  /** As the SDK's map sends them. */
  private static final int CLIENT_BATCH = 256;
  /** What a container that finishes inputs in microseconds asks for: its capacity plus the most prefetch. */
  private static final int WINDOW = 513;

  @Param({"1", "4"})
  public int containers;

  private final String serverName = "shoal-scheduler-bench-" + UUID.randomUUID();
  private ControlPlane controlPlane;
  private Server server;
  private ManagedChannel channel;
  private ManagedChannel containerChannel;
  private ClientServiceGrpc.ClientServiceStub client;
  private String appId;
  private String functionId;
  private final List<MapInput> inputs = new ArrayList<>(INPUTS);

  @Setup
  public void start() throws IOException {
    controlPlane = new ControlPlane(Clock.systemUTC(), new MemoryStore(), Duration.ofDays(1), null, "echo");
    server = InProcessServerBuilder.forName(serverName)
        .directExecutor()
        .addService(new ClientServiceImpl(controlPlane))
        .addService(new ContainerServiceImpl(controlPlane))
        .build()
        .start();
    channel = InProcessChannelBuilder.forName(serverName).directExecutor().build();
    // Containers get a channel of their own, with gRPC's default executor, as a thread container does.
    containerChannel = InProcessChannelBuilder.forName(serverName).build();
    controlPlane.addBackend(new EchoBackend(containerChannel));
    client = ClientServiceGrpc.newStub(channel);
    var started = ClientServiceGrpc.newBlockingStub(channel).startApp(StartAppRequest.newBuilder()
        .setAppName("scheduler-bench")
        .setAppClass("none")
        .setDetach(true) // no heartbeats needed
        .addFunctions(FunctionDefinition.newBuilder()
            .setName("echo")
            .setTimeoutMs(60_000)
            .setStartupTimeoutMs(60_000)
            .setMinContainers(containers)
            .setMaxContainers(containers)
            .setScaledownWindowMs(600_000)
            .setMaxConcurrentInputs(1))
        .build());
    appId = started.getAppId();
    functionId = started.getFunctionIdsOrThrow("echo");
    for (int i = 0; i < INPUTS; i++) {
      inputs.add(MapInput.newBuilder()
          .setIndex(i)
          .setArgs(Payload.newBuilder().setCodec(1).setData(com.google.protobuf.ByteString.copyFrom(
              new byte[] {(byte) i, (byte) (i >> 8)})))
          .build());
    }
  }

  @TearDown
  public void stop() {
    ClientServiceGrpc.newBlockingStub(channel).stopApp(StopAppRequest.newBuilder().setAppId(appId).build());
    controlPlane.close();
    channel.shutdownNow();
    containerChannel.shutdownNow();
    server.shutdownNow();
  }

  @Benchmark
  @OperationsPerInvocation(INPUTS)
  public long map() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong received = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    StreamObserver<MapRequest> requests = client.map(new StreamObserver<>() {
      @Override
      public void onNext(MapResponse response) {
        if (response.hasOutputs() && received.addAndGet(response.getOutputs().getOutputsCount()) == INPUTS) {
          done.countDown();
        }
      }

      @Override
      public void onError(Throwable t) {
        failure.set(t);
        done.countDown();
      }

      @Override
      public void onCompleted() {
        done.countDown();
      }
    });
    synchronized (requests) {
      requests.onNext(MapRequest.newBuilder().setStart(MapStart.newBuilder().setFunctionId(functionId)).build());
      for (int from = 0; from < INPUTS; from += CLIENT_BATCH) {
        requests.onNext(MapRequest.newBuilder()
            .setInputs(MapInputs.newBuilder().addAllInputs(inputs.subList(from, Math.min(INPUTS, from + CLIENT_BATCH))))
            .build());
      }
      requests.onNext(MapRequest.newBuilder().setEnd(MapEnd.newBuilder().setTotal(INPUTS)).build());
    }
    if (!done.await(60, TimeUnit.SECONDS) || failure.get() != null || received.get() != INPUTS) {
      throw new IllegalStateException("the map did not finish: " + received.get() + " of " + INPUTS
          + " outputs, failure " + failure.get());
    }
    synchronized (requests) {
      requests.onCompleted();
    }
    return received.get();
  }

  /** Containers that are only a Serve stream answering every input with itself. */
  private static final class EchoBackend implements ContainerBackend {
    private final ContainerServiceGrpc.ContainerServiceStub service;

    EchoBackend(ManagedChannel channel) {
      this.service = ContainerServiceGrpc.newStub(channel);
    }

    @Override
    public String name() {
      return "echo";
    }

    @Override
    public int capacity() {
      return 64;
    }

    @Override
    public ContainerHandle start(ContainerSpec spec, ContainerExitListener onExit) {
      EchoContainer container = new EchoContainer(spec.containerId(), onExit);
      container.connect(service, spec.token());
      return container;
    }

    @Override
    public void close() {}
  }

  /**
   * Answers on a thread of its own, as a real container does: answering on the control plane's thread would
   * recurse from each completion into the next lease.
   */
  private static final class EchoContainer implements ContainerHandle, StreamObserver<ContainerCommand> {
    private final String id;
    private final ContainerExitListener onExit;
    private final java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor(
        r -> Thread.ofPlatform().daemon().name("echo-container").unstarted(r));
    private volatile boolean alive = true;
    private StreamObserver<ContainerMessage> messages;

    EchoContainer(String id, ContainerExitListener onExit) {
      this.id = id;
      this.onExit = onExit;
    }

    void connect(ContainerServiceGrpc.ContainerServiceStub service, String token) {
      messages = service.serve(this);
      send(ContainerMessage.newBuilder()
          .setHello(Hello.newBuilder().setContainerId(id).setToken(token).setPid(-1)).build());
    }

    private synchronized void send(ContainerMessage message) {
      if (alive) { // an input's answer queued behind the end of the stream is dropped, as a dead container's
        messages.onNext(message);
      }
    }

    @Override
    public void onNext(ContainerCommand command) {
      thread.execute(() -> handle(command));
    }

    private void handle(ContainerCommand command) {
      switch (command.getKindCase()) {
        case WELCOME -> send(ContainerMessage.newBuilder().setReady(Ready.newBuilder().setWindow(WINDOW)).build());
        case INPUTS -> {
          ContainerOutputs.Builder outputs = ContainerOutputs.newBuilder().setWindow(WINDOW);
          for (ContainerInput in : command.getInputs().getInputsList()) {
            outputs.addOutputs(ContainerOutput.newBuilder()
                .setInputId(in.getInputId())
                .setResult(Result.newBuilder().setStatus(ResultStatus.SUCCESS).setValue(in.getArgs())));
          }
          send(ContainerMessage.newBuilder().setOutputs(outputs).build());
        }
        case SHUTDOWN -> end();
        default -> { }
      }
    }

    @Override
    public void onError(Throwable t) {
      end();
    }

    @Override
    public void onCompleted() {
      end();
    }

    private synchronized void end() {
      if (alive) {
        alive = false;
        try {
          messages.onCompleted();
        } catch (RuntimeException e) {
          // Already closed.
        }
        thread.shutdown();
        onExit.exited(id, 0, "");
      }
    }

    @Override
    public void kill() {
      end();
    }

    @Override
    public boolean isAlive() {
      return alive;
    }

    @Override
    public long pid() {
      return -1;
    }
  }
}
