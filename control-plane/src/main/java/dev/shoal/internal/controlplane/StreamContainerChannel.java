package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.CancelInputs;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerInputs;
import dev.shoal.protocol.v1.Shutdown;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * A container's channel over the gRPC stream it opened: commands are written one at a time, as a stream observer
 * requires, and inputs go in messages of at most {@link BlobRouting#MAX_BATCH_BYTES} of arguments.
 */
final class StreamContainerChannel implements ContainerChannel {
  private final StreamObserver<ContainerCommand> commands;
  private boolean closed;

  StreamContainerChannel(StreamObserver<ContainerCommand> commands) {
    this.commands = commands;
  }

  @Override
  public void send(List<InputLease> inputs) {
    ContainerInputs.Builder batch = ContainerInputs.newBuilder();
    long bytes = 0;
    for (InputLease in : inputs) {
      int size = in.args().getData().size();
      if (bytes + size > BlobRouting.MAX_BATCH_BYTES && batch.getInputsCount() > 0) {
        write(ContainerCommand.newBuilder().setInputs(batch).build());
        batch = ContainerInputs.newBuilder();
        bytes = 0;
      }
      bytes += size;
      batch.addInputs(ContainerInput.newBuilder()
          .setInputId(in.inputId())
          .setCallId(in.callId())
          .setAttempt(in.attempt())
          .setArgs(in.args())
          .setMethod(in.method()));
    }
    write(ContainerCommand.newBuilder().setInputs(batch).build());
  }

  @Override
  public void cancel(List<String> inputIds) {
    write(ContainerCommand.newBuilder().setCancel(CancelInputs.newBuilder().addAllInputIds(inputIds)).build());
  }

  @Override
  public void shutdown() {
    write(ContainerCommand.newBuilder().setShutdown(Shutdown.getDefaultInstance()).build());
  }

  /** Writes one command, unless the stream is closed. */
  synchronized void write(ContainerCommand command) {
    if (closed) {
      return;
    }
    try {
      commands.onNext(command);
    } catch (RuntimeException e) {
      // The stream is closing; the container's death is handled when the stream ends.
    }
  }

  /**
   * Breaks the stream with {@code UNAVAILABLE}, which a container takes for its control plane going away, as when
   * its process ends: it keeps running and reconnects. A completed stream would end it.
   */
  @Override
  public synchronized void handOver() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      commands.onError(Status.UNAVAILABLE.withDescription("the control plane is stopping; reconnect to its next life")
          .asRuntimeException());
    } catch (RuntimeException e) {
      // Already closed.
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      commands.onCompleted();
    } catch (RuntimeException e) {
      // Already closed.
    }
  }
}
