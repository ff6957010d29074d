package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.scaling.ContainerPhase;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerInputs;
import dev.shoal.protocol.v1.Failure;
import dev.shoal.protocol.v1.Shutdown;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One container of a function pool. Its fields are guarded by the pool's lock, except where noted. */
final class ContainerRecord {
  final String id;
  final String token;
  final FunctionPool pool;
  final long createdAtMillis;
  ContainerPhase phase = ContainerPhase.STARTING;
  ContainerHandle handle;
  /** How many inputs the container wants outstanding: sent to it and not yet answered. */
  int window;
  final Map<String, InputRecord> leased = new LinkedHashMap<>();
  long idleSinceMillis;
  /** When the container last said anything; written by its stream's thread, read by the timer. */
  volatile long lastSeenMillis;
  /** Set once the container is gone from the pool, so that its death is handled once. */
  boolean removed;
  /**
   * Set once the control plane has decided to end the container (asked it to stop, or killed it), so that its
   * exit is told apart from a crash.
   */
  volatile boolean endRequested;
  /** Why the container could not start, as it said itself before exiting, or as its missed deadline says. */
  Failure startupFailure;
  /** When the container must be ready by, or be killed; set when it is made, later on a busy machine. */
  long startupDeadlineMillis;
  /** Set when the container left the pool before it was ready. */
  boolean diedStarting;
  /** Set once it is decided whether the death of a container that never became ready counts against its function. */
  boolean startJudged;
  /** The stream the container listens on; writes are serialised on this record's monitor. */
  private StreamObserver<ContainerCommand> commands;

  ContainerRecord(String id, String token, FunctionPool pool, long nowMillis) {
    this.id = id;
    this.token = token;
    this.pool = pool;
    this.createdAtMillis = nowMillis;
    this.idleSinceMillis = nowMillis;
    this.lastSeenMillis = nowMillis;
  }

  synchronized void attach(StreamObserver<ContainerCommand> commands) {
    this.commands = commands;
  }

  synchronized void send(ContainerCommand command) {
    if (commands == null) {
      return;
    }
    try {
      commands.onNext(command);
    } catch (RuntimeException e) {
      // The stream is closing; the container's death is handled when the stream ends.
    }
  }

  void sendInputs(List<InputRecord> inputs) {
    ContainerInputs.Builder batch = ContainerInputs.newBuilder();
    long bytes = 0;
    for (InputRecord in : inputs) {
      int size = in.args.getData().size();
      if (bytes + size > BlobRouting.MAX_BATCH_BYTES && batch.getInputsCount() > 0) {
        send(ContainerCommand.newBuilder().setInputs(batch).build());
        batch = ContainerInputs.newBuilder();
        bytes = 0;
      }
      bytes += size;
      batch.addInputs(ContainerInput.newBuilder()
          .setInputId(in.id)
          .setCallId(in.call.id)
          .setAttempt(in.attempt)
          .setArgs(in.args)
          .setMethod(in.call.method));
    }
    send(ContainerCommand.newBuilder().setInputs(batch).build());
  }

  void sendShutdown() {
    send(ContainerCommand.newBuilder().setShutdown(Shutdown.getDefaultInstance()).build());
  }

  synchronized void closeStream() {
    if (commands != null) {
      try {
        commands.onCompleted();
      } catch (RuntimeException e) {
        // Already closed.
      }
      commands = null;
    }
  }
}
