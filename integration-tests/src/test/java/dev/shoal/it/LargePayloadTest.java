package dev.shoal.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.InvalidOptionException;
import dev.shoal.RemoteException;
import dev.shoal.it.apps.LargePayloadApp;
import dev.shoal.it.apps.LargePayloadApp.Parcel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
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
}
