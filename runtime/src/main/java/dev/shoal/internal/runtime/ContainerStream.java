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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A container's stream to the control plane: the messages it sends (hello, ready, outputs, logs, heartbeats)
 * and the commands it receives (welcome, inputs, cancellations, shutdown), which it hands to a {@link Listener} on
 * the transport's thread, which the listener must not hold up. Sending is safe from any thread; once the stream
 * is closed, messages are dropped.
 *
 * <p>Once the container serves ({@link #resumeWithin}), a stream that breaks because the control plane went away
 * (see {@link StreamReconnector#serverWentAway}) is not the container's end: it keeps running its inputs, the
 * outputs it sends meanwhile are kept, and the {@link StreamReconnector} opens a new stream whose hello says it is
 * resuming and lists the inputs it holds. When the control plane (maybe its next life) answers with a welcome, the
 * kept outputs go out on the new stream and the listener hears {@link Listener#resumed}. The outputs kept are
 * bounded by the inputs the container held when the stream broke, since no new input reaches it while it has no
 * stream. Logs and heartbeats are dropped meanwhile.
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

    /** The stream ended for good; {@code failed} if it broke rather than completed. */
    void ended(boolean failed);

    /** The stream takes messages again after it was not ready. */
    void ready();

    /** A new stream took over from one that broke, and the outputs kept meanwhile went out on it. */
    void resumed();
  }

  /** Where one stream of the container stands. */
  private enum State {
    /** Open; messages go out. */
    LIVE,
    /** Broken; the reconnector is opening another. Outputs are kept, other messages dropped. */
    DOWN,
    /** A new stream said its resuming hello and awaits the welcome. Outputs are kept, other messages dropped. */
    RESUMING,
    /** Ended for good. */
    CLOSED
  }

  /**
   * How long a container that ends its stream waits for the control plane to close it. The control plane answers
   * within milliseconds (28 process containers ending in CoreEngineTest, StartupFailureTest, CleanExitTest and
   * ContainerLifetimeTest waited 4–130 ms, 13 the median), so the bound matters only when it is gone or stuck.
   */
  static final long CLOSE_WAIT_MILLIS = 2_000;

  private final ManagedChannel channel;
  private final String containerId;
  private final String token;
  private final Listener listener;
  // All guarded by this.
  private StreamObserver<ContainerMessage> messages;
  /**
   * Which stream is the current one; events of an earlier one are ignored. Written under this object's lock, and
   * volatile, as is {@code state}, so that an arriving command is checked against them without it.
   */
  private volatile Commands current;
  private volatile State state = State.LIVE;
  /** Outputs messages sent while the stream was down, to go out once a new one is welcomed. */
  private final List<ContainerMessage> unsent = new ArrayList<>();
  /** How a resuming stream ended: resumed, refused or gone; null while no resumption is awaited. */
  private CompletableFuture<StreamReconnector.Outcome> resumption;
  /** The inputs the container holds, for a resuming hello; null until it serves, when a break ends it. */
  private Supplier<List<String>> held;
  private Duration window = Duration.ZERO;
  /** The stream this container sends on, as gRPC gives it for flow control. */
  private volatile ClientCallStreamObserver<ContainerMessage> outgoing;
  private volatile StreamReconnector reconnector;

  private ContainerStream(ManagedChannel channel, String containerId, String token, Listener listener) {
    this.channel = channel;
    this.containerId = containerId;
    this.token = token;
    this.listener = listener;
  }

  /** Connects to the control plane at {@code target} as the container, and opens the stream. */
  static ContainerStream open(String target, String containerId, String token, Listener listener) {
    ContainerStream stream = new ContainerStream(
        Channels.open(target, Channels.containerCredential(containerId, token)), containerId, token, listener);
    synchronized (stream) {
      stream.openLocked();
    }
    return stream;
  }

  /**
   * Lets the stream resume after the control plane goes away, for up to {@code window} after it broke; a zero
   * window keeps the old rule, where a broken stream ends the container.
   *
   * @param heldInputs the inputs the container holds (queued or running), as a resuming hello lists them
   */
  synchronized void resumeWithin(Duration window, Supplier<List<String>> heldInputs) {
    this.window = window;
    this.held = heldInputs;
  }

  /** Says who the container is: the stream's first message. */
  void hello() {
    send(helloMessage(false, List.of()));
  }

  private ContainerMessage helloMessage(boolean resuming, List<String> heldIds) {
    return ContainerMessage.newBuilder()
        .setHello(Hello.newBuilder()
            .setContainerId(containerId)
            .setToken(token)
            .setPid(ProcessHandle.current().pid())
            .setResuming(resuming)
            .addAllHeldInputIds(heldIds))
        .build();
  }

  synchronized void send(ContainerMessage message) {
    switch (state) {
      case LIVE -> messages.onNext(message);
      case DOWN, RESUMING -> {
        if (message.hasOutputs()) {
          unsent.add(message);
        }
      }
      case CLOSED -> { }
    }
  }

  /** Whether the stream broke and is being re-opened. */
  synchronized boolean reconnecting() {
    return state == State.DOWN || state == State.RESUMING;
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

  /**
   * Ends the stream normally: the control plane sees a container that stopped. Waits, up to
   * {@link #CLOSE_WAIT_MILLIS}, for the control plane to close its side, which it does once it has read the end:
   * the channel is shut down right after, and a shutdown cancels a call whose last messages still wait in the
   * transport (for the peer's flow-control credit, for one), so that the control plane never got them: a
   * container's {@code StartupFailed}, which left only its exit code to explain it, or its last outputs.
   */
  void complete() {
    stopReconnecting();
    Commands ending = null;
    synchronized (this) {
      if (state == State.LIVE) {
        try {
          messages.onCompleted();
          ending = current;
        } catch (RuntimeException e) {
          // The control plane already closed the stream.
        }
      }
      closeLocked();
    }
    if (ending != null) {
      ending.awaitEnd(CLOSE_WAIT_MILLIS);
    }
  }

  /** Breaks the stream, as a killed process would. */
  void cancel() {
    stopReconnecting();
    synchronized (this) {
      if (state != State.CLOSED && messages != null) {
        try {
          messages.onError(Status.CANCELLED.withDescription("killed").asRuntimeException());
        } catch (RuntimeException e) {
          // Already closed.
        }
      }
      closeLocked();
    }
  }

  /** Closes the connection, once the stream has ended. */
  void closeChannel() {
    channel.shutdownNow();
  }

  /**
   * Opens a new stream and says a resuming hello on it; the future completes with how the control plane answered.
   * Called by the reconnector while the stream is down.
   */
  CompletableFuture<StreamReconnector.Outcome> reopen() {
    synchronized (this) {
      if (state != State.DOWN) {
        return CompletableFuture.completedFuture(StreamReconnector.Outcome.REFUSED);
      }
      Set<String> heldIds = new LinkedHashSet<>(held.get());
      for (ContainerMessage m : unsent) {
        m.getOutputs().getOutputsList().forEach(o -> heldIds.add(o.getInputId()));
      }
      // A channel that failed to connect waits out gRPC's own backoff (up to two minutes) before it tries again;
      // the reconnector keeps its own, shorter one.
      channel.resetConnectBackoff();
      // Kept here: on an in-process channel the answer may arrive, and clear the field, within onNext.
      CompletableFuture<StreamReconnector.Outcome> answer = new CompletableFuture<>();
      resumption = answer;
      state = State.RESUMING;
      openLocked();
      messages.onNext(helloMessage(true, List.copyOf(heldIds)));
      return answer;
    }
  }

  /**
   * Gives up a resumption that got no answer in time, so that the stream is down again, unless the answer came
   * meanwhile; returns how the attempt ended.
   */
  synchronized StreamReconnector.Outcome abandonAttempt() {
    return switch (state) {
      case RESUMING -> {
        state = State.DOWN;
        resumption = null;
        cancelCurrentLocked();
        yield StreamReconnector.Outcome.AWAY;
      }
      case LIVE -> StreamReconnector.Outcome.RESUMED;
      case DOWN -> StreamReconnector.Outcome.AWAY;
      case CLOSED -> StreamReconnector.Outcome.REFUSED;
    };
  }

  /** The reconnector gave up: the container ends as a broken stream ends it. */
  void gaveUp() {
    boolean wasOpen;
    synchronized (this) {
      wasOpen = state != State.CLOSED;
      closeLocked();
    }
    if (wasOpen) {
      listener.ended(true);
    }
  }

  private void openLocked() {
    Commands commands = new Commands();
    current = commands;
    // Commands are handled on the transport's own thread rather than handed to gRPC's executor: the listener only
    // queues inputs and notes cancellations (the welcome, which loads the app, goes to a thread of its own), and the
    // hop to the executor was one of the four thread hand-offs of a remote() call in the container.
    messages = ContainerServiceGrpc.newStub(channel).withExecutor(Runnable::run).serve(commands);
  }

  private void cancelCurrentLocked() {
    StreamObserver<ContainerMessage> call = messages;
    current = null;
    try {
      call.onError(Status.CANCELLED.withDescription("no answer to a resuming hello").asRuntimeException());
    } catch (RuntimeException e) {
      // Already closed.
    }
  }

  private void closeLocked() {
    state = State.CLOSED;
    unsent.clear();
    if (resumption != null) {
      resumption.complete(StreamReconnector.Outcome.REFUSED);
    }
  }

  private void stopReconnecting() {
    StreamReconnector r = reconnector;
    if (r != null) {
      r.stop();
    }
  }

  /** A welcome on {@code from}: the container's first, or the answer to a resuming hello. */
  private void welcomed(Commands from, Welcome welcome) {
    boolean resumed = false;
    synchronized (this) {
      if (from != current) {
        return;
      }
      if (state == State.RESUMING) {
        state = State.LIVE;
        unsent.forEach(messages::onNext);
        unsent.clear();
        resumption.complete(StreamReconnector.Outcome.RESUMED);
        resumption = null;
        resumed = true;
      }
    }
    if (resumed) {
      listener.resumed();
    } else {
      listener.welcome(welcome);
    }
  }

  /** The stream {@code from} ended, with {@code error} null when completed by the control plane. */
  private void streamEnded(Commands from, Throwable error) {
    boolean ended;
    synchronized (this) {
      if (from != current) {
        return;
      }
      Status status = error == null ? null : Status.fromThrowable(error);
      boolean away = status != null && StreamReconnector.serverWentAway(status);
      if (state == State.RESUMING) {
        state = State.DOWN;
        resumption.complete(away ? StreamReconnector.Outcome.AWAY : StreamReconnector.Outcome.REFUSED);
        resumption = null;
        return;
      }
      ended = state == State.LIVE;
      if (ended && away && held != null && window.isPositive()) {
        state = State.DOWN;
        StreamReconnector r = new StreamReconnector(this, window);
        reconnector = r;
        r.start();
        return;
      }
      if (ended) {
        closeLocked();
      }
    }
    if (ended) {
      listener.ended(error != null);
    }
  }

  /** Receives the control plane's commands on one stream. */
  private final class Commands implements ClientResponseObserver<ContainerMessage, ContainerCommand> {
    /** Counted down when the control plane has closed this stream, or it broke. */
    private final CountDownLatch end = new CountDownLatch(1);

    /** Waits until this stream has ended, at most {@code millis}. */
    void awaitEnd(long millis) {
      try {
        end.await(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ContainerMessage> stream) {
      outgoing = stream;
      stream.setOnReadyHandler(listener::ready);
    }

    @Override
    public void onNext(ContainerCommand command) {
      if (command.getKindCase() == ContainerCommand.KindCase.WELCOME) {
        welcomed(this, command.getWelcome());
        return;
      }
      // No lock here: a command may arrive on the thread that holds another container's stream lock in send()
      // (the in-process transport of thread containers delivers on the sender's thread, through the control
      // plane), and taking this one would deadlock two containers sending at once.
      if (this != current || state != State.LIVE) {
        return;
      }
      switch (command.getKindCase()) {
        case INPUTS -> listener.inputs(command.getInputs().getInputsList());
        case CANCEL -> listener.cancel(command.getCancel().getInputIdsList());
        case SHUTDOWN -> listener.shutdown();
        default -> { }
      }
    }

    @Override
    public void onError(Throwable t) {
      end.countDown();
      streamEnded(this, t);
    }

    @Override
    public void onCompleted() {
      end.countDown();
      streamEnded(this, null);
    }
  }
}
