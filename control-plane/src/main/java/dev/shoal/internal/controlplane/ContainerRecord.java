package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.scaling.ContainerPhase;
import dev.shoal.protocol.v1.Failure;
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
  /**
   * When its start began to count against the deadline: when it was made, or once its backend's platform gave it a
   * place to run ({@code ContainerHandle.awaitingPlatform}).
   */
  long startupFromMillis;
  /** Set when the container left the pool before it was ready. */
  boolean diedStarting;
  /** Set once it is decided whether the death of a container that never became ready counts against its function. */
  boolean startJudged;
  /**
   * Set once a stopping control plane handed the container over to its next life: what its stream and its backend
   * say of it from then on changes nothing here, and its row stays in the store for the next life to adopt.
   */
  volatile boolean handedOver;
  /** What the container listens on, once it said hello; used under this record's monitor. */
  private ContainerChannel channel;

  ContainerRecord(String id, String token, FunctionPool pool, long nowMillis) {
    this.id = id;
    this.token = token;
    this.pool = pool;
    this.createdAtMillis = nowMillis;
    this.idleSinceMillis = nowMillis;
    this.lastSeenMillis = nowMillis;
  }

  /** Connects the container's channel, once it said hello; what was to be said before is not said. */
  synchronized void attach(ContainerChannel channel) {
    this.channel = channel;
  }

  synchronized void sendInputs(List<InputLease> inputs) {
    if (channel != null) {
      channel.send(inputs);
    }
  }

  synchronized void sendCancel(List<String> inputIds) {
    if (channel != null) {
      channel.cancel(inputIds);
    }
  }

  synchronized void sendShutdown() {
    if (channel != null) {
      channel.shutdown();
    }
  }

  synchronized void closeChannel() {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  /** Hands the container over to the control plane's next life; see {@link ContainerChannel#handOver}. */
  synchronized void handOver() {
    handedOver = true;
    if (channel != null) {
      channel.handOver();
      channel = null;
    }
  }
}
