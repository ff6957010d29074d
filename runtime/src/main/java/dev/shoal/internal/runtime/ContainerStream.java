package dev.shoal.internal.runtime;

import dev.shoal.internal.client.Channels;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.Hello;
import dev.shoal.protocol.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * A container's one stream to the control plane: the messages it sends (hello, ready, outputs, logs, heartbeats)
 * and the commands it receives (welcome, inputs, cancellations, shutdown), which it hands to a {@link Listener} on gRPC's threads.
 * Sending is safe from any thread; once the stream is closed, messages are dropped.
 */
final class ContainerStream {
  /** What the control plane tells the container. */
  interface Listener {
    void welcome(Welcome welcome);

    void inputs(List<ContainerInput> inputs);

    /** The control plane cancelled these inputs' calls. */
    void cancel(List<String> inputIds);

    /** The control plane asks the container to stop. */
    void shutdown();

    /** The stream ended; {@code failed} if it broke rather than completed. */
    void ended(boolean failed);

    /** The stream takes messages again after it was not ready. */
    void ready();
  }

  private final ManagedChannel channel;
  // Guarded by this.
  private StreamObserver<ContainerMessage> messages;
  /** The stream this container sends on, as gRPC gives it for flow control. */
  private volatile ClientCallStreamObserver<ContainerMessage> outgoing;

  private ContainerStream(ManagedChannel channel) {
    this.channel = channel;
  }

  /** Connects to the control plane at {@code target} as the container, and opens the stream. */
  static ContainerStream open(String target, String containerId, String token, Listener listener) {
    ContainerStream stream =
        new ContainerStream(Channels.open(target, Channels.containerCredential(containerId, token)));
    StreamObserver<ContainerMessage> messages =
        ContainerServiceGrpc.newStub(stream.channel).serve(stream.new Commands(listener));
    synchronized (stream) {
      stream.messages = messages;
    }
    return stream;
  }

  /** Says who the container is: the stream's first message. */
  void hello(String containerId, String token) {
    send(ContainerMessage.newBuilder()
        .setHello(Hello.newBuilder()
            .setContainerId(containerId)
            .setToken(token)
            .setPid(ProcessHandle.current().pid()))
        .build());
  }

  synchronized void send(ContainerMessage message) {
    if (messages != null) {
      messages.onNext(message);
    }
  }

  /** Whether the stream takes another message without buffering it in memory; safe from any thread. */
  boolean ready() {
    ClientCallStreamObserver<ContainerMessage> call = outgoing;
    return call == null || call.isReady();
  }

  /** The channel the container's other requests (blobs, volumes, calls of its own) travel on. */
  ManagedChannel channel() {
    return channel;
  }

  /** Ends the stream normally: the control plane sees a container that stopped. */
  synchronized void complete() {
    if (messages != null) {
      try {
        messages.onCompleted();
      } catch (RuntimeException e) {
        // The control plane already closed the stream.
      }
      messages = null;
    }
  }

  /** Breaks the stream, as a killed process would. */
  synchronized void cancel() {
    if (messages != null) {
      try {
        messages.onError(Status.CANCELLED.withDescription("killed").asRuntimeException());
      } catch (RuntimeException e) {
        // Already closed.
      }
      messages = null;
    }
  }

  /** Closes the connection, once the stream has ended. */
  void closeChannel() {
    channel.shutdownNow();
  }

  /** Receives the control plane's commands. */
  private final class Commands implements ClientResponseObserver<ContainerMessage, ContainerCommand> {
    private final Listener listener;

    Commands(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ContainerMessage> stream) {
      outgoing = stream;
      stream.setOnReadyHandler(listener::ready);
    }

    @Override
    public void onNext(ContainerCommand command) {
      switch (command.getKindCase()) {
        case WELCOME -> listener.welcome(command.getWelcome());
        case INPUTS -> listener.inputs(command.getInputs().getInputsList());
        case CANCEL -> listener.cancel(command.getCancel().getInputIdsList());
        case SHUTDOWN -> listener.shutdown();
        default -> { }
      }
    }

    @Override
    public void onError(Throwable t) {
      listener.ended(true);
    }

    @Override
    public void onCompleted() {
      listener.ended(false);
    }
  }
}
