package dev.shoal.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.shoal.internal.client.RegisteredFunction;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.Codec;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.ResultStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InputRunnerTest {
  private final AtomicInteger runs = new AtomicInteger();

  private InputRunner runner() {
    FunctionDefinition definition = FunctionDefinition.newBuilder().setName("echo").build();
    RegisteredFunction echo = new RegisteredFunction("echo", definition, argument -> {
      runs.incrementAndGet();
      return argument;
    });
    return new InputRunner(ServedCode.function(echo, definition), ClassPolicy.forApp(InputRunnerTest.class),
        "ct-test", ContainerHost.SHARED_JVM, new LogShipper(message -> { }, () -> true), null, PayloadLimits.configured(),
        new RunningInputs());
  }

  private static ContainerInput input(int codec, byte[] data) {
    return ContainerInput.newBuilder()
        .setInputId("in-1")
        .setCallId("fc-1")
        .setAttempt(1)
        .setArgs(Payload.newBuilder().setCodec(codec).setData(ByteString.copyFrom(data)))
        .build();
  }

  @Test
  void argumentOfAnUnknownCodecFailsItsInputNamingTheCodecAndNeverRunsTheBody() {
    InputRunner runner = runner();
    // Codec 1's bytes for 42, labelled with ids that this container does not know.
    for (int codec : List.of(0, 7)) {
      ContainerOutput output = runner.run(input(codec, Codec.encode(42)));
      assertThat(output.getResult().getStatus()).isEqualTo(ResultStatus.FAILURE);
      assertThat(output.getResult().getFailure().getMessage())
          .contains("the argument of function echo cannot be decoded in the container")
          .contains("written by codec " + codec);
    }
    assertThat(runs).hasValue(0);
  }

  @Test
  void argumentOfCodecOneRunsTheBody() {
    ContainerOutput output = runner().run(input(Codec.ID, Codec.encode(42)));
    assertThat(output.getResult().getStatus()).isEqualTo(ResultStatus.SUCCESS);
    assertThat(Codec.decode(output.getResult().getValue().getData().toByteArray(),
        ClassPolicy.jdkOnly(null))).isEqualTo(42);
  }
}
