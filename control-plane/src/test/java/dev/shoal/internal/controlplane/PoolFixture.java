package dev.shoal.internal.controlplane;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.shoal.internal.controlplane.FakeBackend.FakeContainer;
import dev.shoal.internal.store.memory.MemoryStore;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import dev.shoal.protocol.v1.StartAppRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One function pool of a real control plane on a fake clock, whose containers come from a {@link FakeBackend}: a
 * test plays the containers' part through the pool's own entry points, as the container service would.
 */
final class PoolFixture implements AutoCloseable {
  static final String APP = "pool-test";
  static final String FUNCTION = "f";

  /** How long the control plane keeps a spawned call's result. */
  static final Duration RETENTION = Duration.ofDays(1);

  final FakeClock clock = new FakeClock();
  final MemoryStore store = new MemoryStore();
  /** Runs the control plane's timers when a test moves the clock with it. */
  final FakeScheduler scheduler = new FakeScheduler(clock);
  final FakeBackend backend;
  final ControlPlane controlPlane;
  final String functionId;
  /** The containers that were asked to stop, by id. */
  private final Set<String> shutdownAsked = ConcurrentHashMap.newKeySet();
  /** The inputs each container was told to cancel, by container id. */
  private final Map<String, List<String>> cancelled = new ConcurrentHashMap<>();
  /** Each call's answer, by call id. */
  private final Map<String, Result> results = new ConcurrentHashMap<>();
  /** The inputs each container was sent, by container id. */
  private final Map<String, List<InputLease>> sent = new ConcurrentHashMap<>();
  /** The pool, as its first container's record names it. */
  private volatile FunctionPool pool;

  PoolFixture(int capacity, FunctionDefinition.Builder function) {
    backend = new FakeBackend(capacity);
    controlPlane = new ControlPlane(clock, scheduler, store, RETENTION, null, backend.name(), null);
    controlPlane.addBackend(backend);
    controlPlane.startApp(StartAppRequest.newBuilder()
        .setAppName(APP)
        .setAppClass("none")
        .setDetach(true) // no client heartbeats, which the fake clock would let lapse
        .addFunctions(function.setName(FUNCTION))
        .build());
    functionId = controlPlane.functionId(APP, FUNCTION).orElseThrow();
  }

  /** A function of one input per container, with no retries, as most tests want it. */
  static FunctionDefinition.Builder function(long startupTimeoutMillis, int maxContainers) {
    return FunctionDefinition.newBuilder()
        .setTimeoutMs(600_000)
        .setStartupTimeoutMs(startupTimeoutMillis)
        .setMaxContainers(maxContainers)
        .setMaxConcurrentInputs(1)
        .setScaledownWindowMs(600_000);
  }

  /** Calls the function; returns the call's id. */
  String call() {
    return controlPlane.call(functionId, Payload.newBuilder().setData(ByteString.copyFromUtf8("in")).build(),
        (CallResponse r) -> results.put(r.getCallId(), r.getResult()));
  }

  Result result(String callId) {
    return results.get(callId);
  }

  boolean answered(String callId) {
    return results.containsKey(callId);
  }

  /** Waits until the backend has started {@code n} containers in all, and returns the last of them. */
  FakeContainer awaitStarted(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.started().size() >= n);
    FakeContainer c = backend.container(n - 1);
    record(c); // finds the pool, while the container is in it
    return c;
  }

  /** The control plane's record of a container, as its hello finds it; null once it has left the pool. */
  ContainerRecord record(FakeContainer c) {
    ContainerRecord record = controlPlane.container(c.spec.containerId(), c.spec.token());
    if (record != null && pool == null) {
      pool = record.pool;
    }
    return record;
  }

  /** The container says hello: from now on it hears the inputs it is sent. */
  ContainerRecord hello(FakeContainer c) {
    ContainerRecord record = record(c);
    List<InputLease> inputs = sent.computeIfAbsent(c.spec.containerId(), k -> new CopyOnWriteArrayList<>());
    record.attach(new ContainerChannel() {
      @Override
      public void send(List<InputLease> leases) {
        inputs.addAll(leases);
      }

      @Override
      public void cancel(List<String> inputIds) {
        cancelled.computeIfAbsent(c.spec.containerId(), k -> new CopyOnWriteArrayList<>()).addAll(inputIds);
      }

      @Override
      public void shutdown() {
        shutdownAsked.add(c.spec.containerId());
      }

      @Override
      public void close() {}
    });
    return record;
  }

  /** The container says hello and that it is ready for one input at a time. */
  ContainerRecord ready(FakeContainer c) {
    ContainerRecord record = hello(c);
    record.pool.ready(record, 1);
    return record;
  }

  /** The container says something, as it does with a heartbeat every 2 s: it is not taken for dead. */
  void heartbeat(FakeContainer c) {
    record(c).lastSeenMillis = clock.millis();
  }

  /** Whether the container was asked to finish and exit. */
  boolean shutdownAsked(FakeContainer c) {
    return shutdownAsked.contains(c.spec.containerId());
  }

  /** The container answers every input it was sent and has not answered yet, successfully. */
  void answerAll(FakeContainer c) {
    ContainerRecord record = record(c);
    List<InputLease> inputs = sent.get(c.spec.containerId());
    for (InputLease in : List.copyOf(inputs)) {
      inputs.remove(in);
      record.pool.outputs(record, List.of(ContainerOutput.newBuilder()
          .setInputId(in.inputId())
          .setResult(Result.newBuilder().setStatus(ResultStatus.SUCCESS).setValue(in.args()))
          .build()), 1);
    }
  }

  /** The container answers every input it was sent and has not answered yet with a failure of the function's code. */
  void failAll(FakeContainer c) {
    ContainerRecord record = record(c);
    List<InputLease> inputs = sent.get(c.spec.containerId());
    for (InputLease in : List.copyOf(inputs)) {
      inputs.remove(in);
      record.pool.outputs(record, List.of(ContainerOutput.newBuilder()
          .setInputId(in.inputId())
          .setResult(Result.newBuilder().setStatus(ResultStatus.FAILURE)
              .setFailure(Failure.newBuilder().setType("java.lang.IllegalStateException").setMessage("no")))
          .build()), 1);
    }
  }

  /** The inputs the container was told to cancel. */
  List<String> cancelledIn(FakeContainer c) {
    return cancelled.getOrDefault(c.spec.containerId(), List.of());
  }

  /** The container answers an input it stopped because its call was cancelled. */
  void answerCancelled(FakeContainer c, String inputId) {
    ContainerRecord record = record(c);
    sent.get(c.spec.containerId()).removeIf(in -> in.inputId().equals(inputId));
    record.pool.outputs(record, List.of(ContainerOutput.newBuilder()
        .setInputId(inputId)
        .setResult(Result.newBuilder().setStatus(ResultStatus.CANCELLED)
            .setFailure(Failure.newBuilder().setType("dev.shoal.CancelledException").setMessage("cancelled")))
        .build()), 1);
  }

  /** The inputs the container was sent and has not answered. */
  List<InputLease> sentTo(FakeContainer c) {
    return sent.getOrDefault(c.spec.containerId(), List.of());
  }

  /** The container says that the app cannot load in it, as a container whose app class throws does. */
  void reportStartupFailed(FakeContainer c, String message) {
    ContainerRecord record = hello(c);
    record.pool.startupFailed(record, Failure.newBuilder().setType("java.lang.ExceptionInInitializerError")
        .setMessage(message).build());
  }

  /** The container's stream ends, as it does when its process dies. */
  void streamEnds(FakeContainer c) {
    ContainerRecord record = record(c);
    if (record != null) {
      record.pool.gone(record, -1, "its stream failed");
    }
  }

  /** The lifecycle events the pool wrote to its app's log, oldest first. */
  List<String> events() {
    return pool.app.log.read(0, 100_000).entries().stream().map(dev.shoal.protocol.v1.LogEntry::getText).toList();
  }

  /** The pool checks its deadlines and scales, as the control plane's timer makes it every 100 ms. */
  void tick() {
    if (pool == null) {
      throw new IllegalStateException("the pool is known once a container of it has started");
    }
    pool.tick();
  }

  @Override
  public void close() {
    controlPlane.close();
  }
}
