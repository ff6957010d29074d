package dev.shoal.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.SpawnBatchRequest;
import dev.shoal.protocol.v1.SpawnBatchResponse;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A spawn through an engine that fails it a few times as a restarting server would: every attempt carries the one
 * key made for the spawn, so that the engine can answer a repeat with the call the first attempt made. The engine
 * here is a stand-in that records what it receives; the retry policy runs on a fake clock.
 */
class IdempotentSpawnRetryTest {
  private final List<String> keysReceived = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile Status failure = Status.UNAVAILABLE.withDescription("the server is restarting");
  private final String name = InProcessServerBuilder.generateName();
  private final Server server;
  private final EngineConnection connection;
  private long now;

  IdempotentSpawnRetryTest() throws Exception {
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new Engine()).build().start();
    connection = new EngineConnection(Channels.open(Channels.IN_PROCESS_PREFIX + name), "a stand-in engine");
    connection.retryWith(() -> new OutageRetry(Duration.ofMinutes(1), () -> now, nanos -> now += nanos,
        new SplittableRandom(1)));
  }

  @AfterEach
  void stop() {
    connection.close();
    server.shutdownNow();
  }

  /** Fails spawns while it is told to, then answers each with a call id made from its key. */
  private final class Engine extends ClientServiceGrpc.ClientServiceImplBase {
    @Override
    public void spawnBatch(SpawnBatchRequest request, StreamObserver<SpawnBatchResponse> response) {
      request.getSpawnsList().forEach(s -> keysReceived.add(s.getIdempotencyKey()));
      if (failuresLeft.getAndDecrement() > 0) {
        response.onError(failure.asRuntimeException());
        return;
      }
      SpawnBatchResponse.Builder answer = SpawnBatchResponse.newBuilder();
      request.getSpawnsList().forEach(s -> answer.addOutcomes(
          SpawnOutcome.newBuilder().setCallId("fc-" + s.getIdempotencyKey().replace("-", ""))));
      response.onNext(answer.build());
      response.onCompleted();
    }
  }

  private static SpawnRequest spawn() {
    return SpawnRequest.newBuilder().setFunctionId("fu-1").build();
  }

  @Test
  void everyAttemptOfASpawnCarriesTheOneKeyMadeForIt() {
    failuresLeft.set(3);

    String callId = connection.spawn(spawn());

    assertThat(keysReceived).hasSize(4);
    assertThat(keysReceived.getFirst()).isNotEmpty();
    assertThat(keysReceived).containsOnly(keysReceived.getFirst());
    assertThat(callId).isEqualTo("fc-" + keysReceived.getFirst().replace("-", ""));
  }

  @Test
  void twoSpawnsOfTheSameArgumentGetTwoKeys() {
    connection.spawn(spawn());
    connection.spawn(spawn());

    assertThat(keysReceived).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void aKeyTheCallerMadeIsKept() {
    connection.spawn(spawn().toBuilder().setIdempotencyKey("mine").build());

    assertThat(keysReceived).containsExactly("mine");
  }

  @Test
  void aSpawnTheEngineRefusesIsNotRetried() {
    failure = Status.NOT_FOUND.withDescription("no function fu-1");
    failuresLeft.set(1);

    assertThatThrownBy(() -> connection.spawn(spawn()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThat(keysReceived).hasSize(1);
  }
}
