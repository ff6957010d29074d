package dev.shoal.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.Payload;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gRPC side of a container's channel: how leases become commands on the container's stream. */
class StreamContainerChannelTest {
  private final List<ContainerCommand> written = new ArrayList<>();
  private int completed;
  private final StreamContainerChannel channel = new StreamContainerChannel(new StreamObserver<>() {
    @Override
    public void onNext(ContainerCommand command) {
      written.add(command);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {
      completed++;
    }
  });

  @Test
  void leasesBecomeOneInputsCommandWithEveryFieldTheContainerNeeds() {
    Payload args = Payload.newBuilder().setCodec(1).setData(ByteString.copyFromUtf8("x")).build();

    channel.send(List.of(new InputLease("in-1", "fc-1", 2, args, "predict"), new InputLease("in-2", "fc-1", 1, args,
        "predict")));

    assertThat(written).hasSize(1);
    ContainerInput first = written.getFirst().getInputs().getInputs(0);
    assertThat(first.getInputId()).isEqualTo("in-1");
    assertThat(first.getCallId()).isEqualTo("fc-1");
    assertThat(first.getAttempt()).isEqualTo(2);
    assertThat(first.getArgs()).isEqualTo(args);
    assertThat(first.getMethod()).isEqualTo("predict");
    assertThat(written.getFirst().getInputs().getInputsCount()).isEqualTo(2);
  }

  @Test
  void inputsPastTheBatchLimitGoInSeveralCommandsInOrder() {
    Payload big = Payload.newBuilder().setData(ByteString.copyFrom(new byte[BlobRouting.MAX_BATCH_BYTES / 2 + 1]))
        .build();

    channel.send(List.of(new InputLease("in-1", "fc", 1, big, ""), new InputLease("in-2", "fc", 1, big, "")));

    assertThat(written).extracting(c -> c.getInputs().getInputs(0).getInputId()).containsExactly("in-1", "in-2");
  }

  @Test
  void nothingIsSaidToAContainerAfterItsChannelIsClosed() {
    channel.close();
    channel.send(List.of(new InputLease("in-1", "fc", 1, Payload.getDefaultInstance(), "")));
    channel.shutdown();
    channel.close();

    assertThat(written).isEmpty();
    assertThat(completed).isEqualTo(1);
  }
}
