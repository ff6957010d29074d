package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.shoal.internal.controlplane.FakeBackend.FakeContainer;
import dev.shoal.internal.store.CallState;
import dev.shoal.internal.store.StoredContainer;
import dev.shoal.internal.store.memory.MemoryStore;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.ContainerOutputs;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.Hello;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Ready;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.StartAppRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A container that outlives its control plane (a pod through a restart) is adopted by the next life when it comes
 * back within the window, and its work is neither lost nor run twice; on the fake clock.
 */
class AdoptionTest {
  private static final String APP = "adopt-test";

  private final FakeClock clock = new FakeClock();
  private final MemoryStore store = new MemoryStore();
  private final FakeScheduler nextScheduler = new FakeScheduler(clock);
  private final FakeBackend nextBackend = new FakeBackend(4);
  private ControlPlane next;
  /** The container of the first life, running two of the three spawned calls. */
  private FakeContainer survivor;
  private List<String> calls;

  @BeforeEach
  void aControlPlaneDiesWhileItsContainerRunsTwoCalls() {
    FakeBackend backend = new FakeBackend(4);
    ControlPlane first = new ControlPlane(clock, new FakeScheduler(clock), store, Duration.ofDays(1), null,
        backend.name(), null);
    first.addBackend(backend);
    first.startApp(StartAppRequest.newBuilder()
        .setAppName(APP)
        .setAppClass("none")
        .setDetach(true)
        .addFunctions(FunctionDefinition.newBuilder().setName("f").setTimeoutMs(600_000)
            .setStartupTimeoutMs(60_000).setMaxContainers(1).setMaxConcurrentInputs(2)
            .setScaledownWindowMs(600_000))
        .build());
    String functionId = first.functionId(APP, "f").orElseThrow();
    List<SpawnRequest> spawns = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      spawns.add(SpawnRequest.newBuilder().setFunctionId(functionId)
          .setArgs(Payload.newBuilder().setData(ByteString.copyFromUtf8("in-" + i))).build());
    }
    calls = first.spawn(spawns).join().stream().map(SpawnOutcome::getCallId).toList();
    survivor = backend.container(0);
    ContainerRecord record = first.container(survivor.spec.containerId(), survivor.spec.token());
    List<InputLease> sent = new CopyOnWriteArrayList<>();
    record.attach(new ContainerChannel() {
      @Override
      public void send(List<InputLease> inputs) {
        sent.addAll(inputs);
      }

      @Override
      public void cancel(List<String> inputIds) {}

      @Override
      public void shutdown() {}

      @Override
      public void close() {}
    });
    record.pool.ready(record, 2);
    assertThat(sent).extracting(InputLease::inputId).containsExactly(calls.get(0), calls.get(1));

    // What a control plane that dies leaves in its store: closing ends its containers and forgets their rows, so
    // the rows are put back as a crash would have left them.
    List<StoredContainer> rows = store.containers();
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.id()).isEqualTo(survivor.spec.containerId());
      assertThat(row.tokenSha256()).isNotEqualTo(survivor.spec.token())
          .isEqualTo(ContainerDirectory.tokenHash(survivor.spec.token()));
    });
    first.close();
    rows.forEach(store::insertContainer);

    nextBackend.survivors.put(survivor.spec.containerId(), survivor.spec);
    next = new ControlPlane(clock, nextScheduler, store, Duration.ofDays(1), null, nextBackend.name(), null);
    next.addBackend(nextBackend);
    next.recover();
  }

  @AfterEach
  void close() {
    next.close();
  }

  @Test
  void recoveryKeepsTheLeasesOfAnAwaitedContainerAndTheResumedContainerCompletesTheirCalls() {
    assertThat(nextBackend.adopted).hasSize(1);
    nextScheduler.advance(Duration.ofSeconds(5));
    assertThat(nextBackend.started()).as("no input is queued while its container may come back").isEmpty();

    RecordingObserver<ContainerCommand> commands = new RecordingObserver<>();
    StreamObserver<ContainerMessage> stream = new ContainerServiceImpl(next).serve(commands);
    stream.onNext(resumingHello(survivor.spec.token(), calls.get(0), calls.get(1), "in-of-a-gone-caller"));

    assertThat(commands.closes).isEmpty();
    assertThat(commands.messages.get(0).hasWelcome()).isTrue();
    assertThat(commands.messages.get(1).getCancel().getInputIdsList()).containsExactly("in-of-a-gone-caller");

    stream.onNext(ContainerMessage.newBuilder().setReady(Ready.newBuilder().setWindow(2)).build());
    assertThat(sentInputs(commands)).as("it holds as many as it wants").isEmpty();
    stream.onNext(outputs(calls.get(0), calls.get(1), "in-of-a-gone-caller"));
    // The third call, which it did not hold, goes to it: it counts toward maxContainers (1).
    assertThat(sentInputs(commands)).containsExactly(calls.get(2));
    stream.onNext(outputs(calls.get(2)));

    // Results reach the store through the durable writer's thread.
    await().atMost(Duration.ofSeconds(30)).until(() -> calls.stream()
        .allMatch(call -> store.call(call).orElseThrow().state() == CallState.SUCCEEDED));
    assertThat(nextBackend.started()).isEmpty();
  }

  @Test
  void anAdoptedContainerThatDiesGivesItsInputsBackToTheQueue() {
    RecordingObserver<ContainerCommand> commands = new RecordingObserver<>();
    new ContainerServiceImpl(next).serve(commands)
        .onNext(resumingHello(survivor.spec.token(), calls.get(0), calls.get(1)));
    assertThat(commands.closes).isEmpty();

    nextBackend.adopted.get(0).kill();
    nextScheduler.advance(Duration.ofSeconds(1));

    assertThat(nextBackend.started()).as("a new container for the three calls").hasSize(1);
    assertThat(next.container(survivor.spec.containerId(), survivor.spec.token())).isNull();
  }

  @Test
  void aContainerThatDoesNotComeBackWithinTheWindowIsEndedAndItsInputsRunElsewhere() {
    nextScheduler.advance(Duration.ofMillis(Adoptions.WINDOW_MILLIS - 1_000));
    assertThat(nextBackend.started()).isEmpty();

    nextScheduler.advance(Duration.ofSeconds(2));

    assertThat(nextBackend.adopted.get(0).wasKilled()).isTrue();
    assertThat(store.containers()).extracting(StoredContainer::id).doesNotContain(survivor.spec.containerId());
    assertThat(nextBackend.started()).hasSize(1);
    RecordingObserver<ContainerCommand> late = new RecordingObserver<>();
    new ContainerServiceImpl(next).serve(late).onNext(resumingHello(survivor.spec.token(), calls.get(0)));
    assertThat(late.closes).extracting(Status::getCode).containsExactly(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aResumingHelloWithAnotherTokenIsRefusedAndTheContainerStaysAwaited() {
    RecordingObserver<ContainerCommand> commands = new RecordingObserver<>();
    new ContainerServiceImpl(next).serve(commands).onNext(resumingHello("tk-not-its-own", calls.get(0)));

    assertThat(commands.closes).extracting(Status::getCode).containsExactly(Status.Code.UNAUTHENTICATED);
    RecordingObserver<ContainerCommand> again = new RecordingObserver<>();
    new ContainerServiceImpl(next).serve(again).onNext(resumingHello(survivor.spec.token(), calls.get(0)));
    assertThat(again.closes).isEmpty();
    assertThat(again.messages.get(0).hasWelcome()).isTrue();
  }

  @Test
  void anAwaitedContainerThatEndsBeforeItComesBackLetsItsInputsRunAtOnce() {
    nextBackend.adopted.get(0).kill();

    nextScheduler.advance(Duration.ofSeconds(1));

    assertThat(nextBackend.started()).hasSize(1);
    assertThat(store.containers()).extracting(StoredContainer::id).doesNotContain(survivor.spec.containerId());
  }

  @Test
  void overGrpcAContainerIsToldToTryAgainUntilRecoveryIsOverAndOnlyAnAwaitedOneMayThenOpenItsStream()
      throws Exception {
    // A third life, started while the second still awaits the container: the store still has its row.
    FakeBackend backend = new FakeBackend(4);
    backend.survivors.put(survivor.spec.containerId(), survivor.spec);
    ControlPlane third = new ControlPlane(clock, new FakeScheduler(clock), store, Duration.ofDays(1), null,
        backend.name(), null);
    third.addBackend(backend);
    third.recoveryPending();
    String name = "adopt-" + UUID.randomUUID();
    Server server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new ContainerServiceImpl(third),
            new TokenAuthInterceptor("admin-token", third)))
        .build().start();
    try {
      assertThat(serve(name, survivor.spec.containerId(), survivor.spec.token()).closes.get(0).getCode())
          .as("before recovery").isEqualTo(Status.Code.UNAVAILABLE);

      third.recover();

      assertThat(serve(name, "ct-unknown", "tk-unknown").closes.get(0).getCode())
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      Heard adopted = serve(name, survivor.spec.containerId(), survivor.spec.token());
      assertThat(adopted.closes).isEmpty();
      assertThat(adopted.commands.get(0).hasWelcome()).isTrue();
    } finally {
      server.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
      third.close();
    }
  }

  /** Opens a container's stream with its credential and says a resuming hello; returns what it heard. */
  private Heard serve(String server, String containerId, String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer container:" + containerId + ":" + token);
    ManagedChannel channel = InProcessChannelBuilder.forName(server).directExecutor()
        .intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).build();
    Heard heard = new Heard();
    try {
      StreamObserver<ContainerMessage> stream = ContainerServiceGrpc.newStub(channel).serve(heard);
      stream.onNext(ContainerMessage.newBuilder().setHello(Hello.newBuilder().setContainerId(containerId)
          .setToken(token).setResuming(true)).build());
      await().atMost(Duration.ofSeconds(30)).until(() -> !heard.commands.isEmpty() || !heard.closes.isEmpty());
      // What it heard before this side closes the channel, which ends the stream.
      return heard.copy();
    } finally {
      channel.shutdownNow();
    }
  }

  /** What a container's stream heard. */
  private static final class Heard implements StreamObserver<ContainerCommand> {
    final List<ContainerCommand> commands = new CopyOnWriteArrayList<>();
    final List<Status> closes = new CopyOnWriteArrayList<>();

    Heard copy() {
      Heard copy = new Heard();
      copy.commands.addAll(commands);
      copy.closes.addAll(closes);
      return copy;
    }

    @Override
    public void onNext(ContainerCommand command) {
      commands.add(command);
    }

    @Override
    public void onError(Throwable t) {
      closes.add(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      closes.add(Status.OK);
    }
  }

  private ContainerMessage resumingHello(String token, String... held) {
    return ContainerMessage.newBuilder()
        .setHello(Hello.newBuilder()
            .setContainerId(survivor.spec.containerId())
            .setToken(token)
            .setResuming(true)
            .addAllHeldInputIds(List.of(held)))
        .build();
  }

  private static ContainerMessage outputs(String... inputIds) {
    ContainerOutputs.Builder outputs = ContainerOutputs.newBuilder().setWindow(2);
    for (String id : inputIds) {
      outputs.addOutputs(ContainerOutput.newBuilder().setInputId(id).setResult(Result.newBuilder()
          .setStatus(ResultStatus.SUCCESS).setValue(Payload.newBuilder().setData(ByteString.copyFromUtf8(id)))));
    }
    return ContainerMessage.newBuilder().setOutputs(outputs).build();
  }

  private static List<String> sentInputs(RecordingObserver<ContainerCommand> commands) {
    return commands.messages.stream().filter(ContainerCommand::hasInputs)
        .flatMap(c -> c.getInputs().getInputsList().stream()).map(ContainerInput::getInputId).toList();
  }
}
