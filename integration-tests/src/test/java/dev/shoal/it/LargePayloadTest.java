package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.awaitility.Awaitility.await;

import dev.shoal.AppRun;
import dev.shoal.Cls;
import dev.shoal.FunctionCall;
import dev.shoal.InvalidOptionException;
import dev.shoal.MapCall;
import dev.shoal.RemoteException;
import dev.shoal.RemoteFunction;
import dev.shoal.internal.client.EngineConnection;
import dev.shoal.internal.embedded.EmbeddedEngine;
import dev.shoal.it.apps.LargePayloadApp;
import dev.shoal.it.apps.LargePayloadApp.Parcel;
import dev.shoal.protocol.v1.BlobRef;
import dev.shoal.protocol.v1.CallRequest;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.SpawnBatchRequest;
import dev.shoal.protocol.v1.SpawnOutcome;
import dev.shoal.protocol.v1.SpawnRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arguments and results past the inline threshold, between this JVM, the embedded engine and container processes:
 * they travel through the engine's blob store, and past the hard limit they fail cleanly, never as a crash.
 */
@Timeout(300)
class LargePayloadTest {
  private static final int MIB = 1 << 20;

  @TempDir
  Path ranIn;

  @BeforeAll
  static void limit() {
    // Read when the app class loads, which is after this: the app's payloads may be at most 20 MB.
    System.setProperty("shoal.payload.maxBytes", Long.toString(LargePayloadApp.MAX_BYTES));
  }

  @AfterAll
  static void unlimit() {
    System.clearProperty("shoal.payload.maxBytes");
  }

  private static byte[] reversed(byte[] b) {
    return LargePayloadApp.reverse(b);
  }

  private int executions() throws Exception {
    try (Stream<Path> files = Files.list(ranIn)) {
      return (int) files.count();
    }
  }

  @Test
  void largeArgumentAndLargeResultArriveWhole() {
    byte[] argument = LargePayloadApp.pattern(5 * MIB + 3);
    try (AppRun run = LargePayloadApp.app.run()) {
      assertThat(LargePayloadApp.reverse.remote(new Parcel("", "", argument))).isEqualTo(reversed(argument));
      assertThat(LargePayloadApp.sum.remote(argument)).isEqualTo(LargePayloadApp.sumOf(argument));
      assertThat(LargePayloadApp.make.remote(3 * MIB)).isEqualTo(LargePayloadApp.pattern(3 * MIB));
    }
  }

  @Test
  void mapOfLargeAndSmallArgumentsReturnsEveryResultInOrder() {
    List<byte[]> arguments = IntStream.range(0, 8)
        .mapToObj(i -> i % 2 == 0 ? LargePayloadApp.pattern(3 * MIB + i) : new byte[] {(byte) i, 2, 3})
        .toList();
    try (AppRun run = LargePayloadApp.app.run()) {
      List<byte[]> results = LargePayloadApp.reverse.map(arguments.stream().map(b -> new Parcel("", "", b)))
          .toList();
      assertThat(results).hasSize(arguments.size());
      for (int i = 0; i < arguments.size(); i++) {
        assertThat(results.get(i)).as("result %d", i).isEqualTo(reversed(arguments.get(i)));
      }
    }
  }

  @Test
  void spawnedCallsLargeResultIsReadAsOftenAsAsked() {
    try (AppRun run = LargePayloadApp.app.run()) {
      FunctionCall<byte[]> call = LargePayloadApp.make.spawn(4 * MIB + 1);
      byte[] expected = LargePayloadApp.pattern(4 * MIB + 1);
      assertThat(call.get()).isEqualTo(expected);
      assertThat(call.get()).isEqualTo(expected);
      assertThat(FunctionCall.<byte[]>fromId(call.id()).get()).isEqualTo(expected);
    }
  }

  @Test
  void argumentOverTheLimitFailsAtTheCallerBeforeAnythingIsSent() throws Exception {
    byte[] tooLarge = new byte[(int) LargePayloadApp.MAX_BYTES + 1];
    try (AppRun run = LargePayloadApp.app.run()) {
      assertThatThrownBy(() -> LargePayloadApp.reverse.remote(new Parcel(ranIn.toString(), "", tooLarge)))
          .isInstanceOf(InvalidOptionException.class)
          .hasMessageContaining("the argument to reverse cannot be sent to a container")
          .hasMessageContaining("over the limit of 20,000,000 bytes")
          .hasMessageContaining("-Dshoal.payload.maxBytes or SHOAL_PAYLOAD_MAX_BYTES");
      assertThatThrownBy(() -> LargePayloadApp.reverse.spawn(new Parcel(ranIn.toString(), "", tooLarge)))
          .isInstanceOf(InvalidOptionException.class)
          .hasMessageContaining("over the limit of 20,000,000 bytes");
      // The function still serves what is within the limit.
      assertThat(LargePayloadApp.sum.remote(new byte[] {1})).isEqualTo(1);
    }
    assertThat(executions()).isZero();
  }

  @Test
  void resultOverTheLimitFailsItsInputOnceWithTheLimitRatherThanAsACrash() throws Exception {
    try (AppRun run = LargePayloadApp.app.run()) {
      assertThatThrownBy(() -> LargePayloadApp.tooLarge.remote(ranIn.toString()))
          .isInstanceOf(RemoteException.class)
          .hasMessageContaining("the result of function tooLarge cannot be sent back")
          .hasMessageContaining("over the limit of 20,000,000 bytes");
      assertThat(executions()).isEqualTo(1);
      // The container that refused the result serves the next call.
      assertThat(LargePayloadApp.make.remote(10)).isEqualTo(LargePayloadApp.pattern(10));
    }
  }

  /**
   * Inputs just under the inline threshold travel inside messages; 140 of them queued for a container that then
   * asks for 140 at once are 280 MB, past gRPC's 256 MiB limit on one message, so they must reach it (and their
   * results come back) in several.
   */
  @Test
  void manyInlineArgumentsQueuedBeforeTheirContainerIsReadyReachItWhole() throws Exception {
    long id = ProcessHandle.current().pid() * 1000 + System.nanoTime() % 1000;
    Path gate = LargePayloadApp.gate(id);
    int n = LargePayloadApp.GATED_CONCURRENCY;
    List<byte[]> arguments = IntStream.range(0, n).mapToObj(i -> LargePayloadApp.pattern(2 * MIB - 4096 - i)).toList();
    try (AppRun run = LargePayloadApp.app.run()) {
      Cls<Long> gated = LargePayloadApp.gated.with(Map.of("gate", id));
      RemoteFunction<byte[], byte[]> reverse = gated.method(LargePayloadApp.gatedReverse);
      try (MapCall<byte[]> results = reverse.map(arguments)) {
        await().atMost(Duration.ofMinutes(2)).until(() -> EmbeddedEngine.get().controlPlane()
            .poolStats("large-payload-app", "Gated(gate=" + id + ")")
            .map(stats -> stats.queuedInputs() == n).orElse(false));
        Files.writeString(gate, "open");
        List<byte[]> all = results.toList();
        for (int i = 0; i < n; i++) {
          assertThat(all.get(i)).as("result %d", i).isEqualTo(reversed(arguments.get(i)));
        }
      }
    } finally {
      Files.deleteIfExists(gate);
    }
  }

  @Test
  void referenceToABlobTheEngineDoesNotHaveIsRefusedAndNothingRuns() throws Exception {
    Payload bogus = Payload.newBuilder().setCodec(1).setBlob(BlobRef.newBuilder().setSha256("0".repeat(64))).build();
    try (AppRun run = LargePayloadApp.app.run();
        EngineConnection connection = EmbeddedEngine.get().connect()) {
      String functionId = EmbeddedEngine.get().controlPlane().functionId("large-payload-app", "sum").orElseThrow();
      assertThatThrownBy(() -> connection.blocking().call(
          CallRequest.newBuilder().setFunctionId(functionId).setArgs(bogus).build()))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("FAILED_PRECONDITION")
          .hasMessageContaining("is not in the engine's blob store");
      SpawnOutcome spawned = connection.blocking().spawnBatch(SpawnBatchRequest.newBuilder()
          .addSpawns(SpawnRequest.newBuilder().setFunctionId(functionId).setArgs(bogus)).build()).getOutcomes(0);
      assertThat(spawned.getCallId()).isEmpty();
      assertThat(spawned.getErrorCode()).isEqualTo(Status.Code.FAILED_PRECONDITION.value());
      assertThat(EmbeddedEngine.get().controlPlane().poolStats("large-payload-app", "sum").orElseThrow()
          .liveContainers()).isZero();
    }
  }
}
