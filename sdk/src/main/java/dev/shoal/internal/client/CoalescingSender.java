package dev.shoal.internal.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sends the small requests that many threads of one connection make at the same moment as one RPC. A request
 * made while fewer than {@code maxInFlight} RPCs hold a slot goes at once, alone; those made meanwhile wait and go
 * together when a slot frees. So a lone caller pays one round trip per request, and many callers share round
 * trips instead of queueing for them. Each request still succeeds or fails on its own.
 *
 * <p>No thread of its own: the caller whose request finds a slot sends, and whoever frees a slot sends what
 * waited. Subclasses say how a batch travels and when its slot frees.
 *
 * @param <Q> one caller's request
 * @param <A> its answer
 */
abstract class CoalescingSender<Q, A> {
  /** One caller's request and where its answer goes. */
  record Pending<Q, A>(Q request, CompletableFuture<A> answer) {}

  /**
   * Set while this thread sends. On the in-process transport the engine may answer within the send, and the
   * answer frees a slot and sends again: such a send goes to a thread of its own, so that the stack stays flat.
   */
  private static final ThreadLocal<Boolean> SENDING = new ThreadLocal<>();

  private final int maxInFlight;
  private final int maxPerBatch;
  private final long maxBytesPerBatch;
  private final ArrayDeque<Pending<Q, A>> waiting = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param maxBytesPerBatch what the requests of one batch may weigh together ({@link #bytes}); a single request
   *     heavier than that still goes, alone
   */
  CoalescingSender(int maxInFlight, int maxPerBatch, long maxBytesPerBatch) {
    this.maxInFlight = maxInFlight;
    this.maxPerBatch = maxPerBatch;
    this.maxBytesPerBatch = maxBytesPerBatch;
  }

  /** Sends {@code batch} as one RPC; answers each request, and calls {@link #slotFreed} once. */
  abstract void send(List<Pending<Q, A>> batch);

  /** What a request weighs towards {@code maxBytesPerBatch}. */
  abstract long bytes(Q request);

  /**
   * Sends one request and waits for its answer.
   *
   * @param what the request, for the message when the calling thread is interrupted
   * @throws StatusRuntimeException as a blocking stub would: why this request failed, or CANCELLED when the calling
   *     thread was interrupted (the engine may then have acted on the request all the same)
   */
  final A submit(Q request, String what) {
    Pending<Q, A> pending = new Pending<>(request, new CompletableFuture<>());
    List<Pending<Q, A>> batch;
    synchronized (this) {
      waiting.add(pending);
      batch = takeBatchIfRoom();
    }
    if (batch != null) {
      sendFlat(batch);
    }
    try {
      return pending.answer().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted while waiting to " + what).withCause(e)
          .asRuntimeException();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        // A fresh exception, so that its stack trace shows this caller rather than the thread that answered.
        throw new StatusRuntimeException(status.getStatus(), status.getTrailers());
      }
      throw Status.INTERNAL.withDescription("failed to " + what + ": " + e.getCause()).withCause(e.getCause())
          .asRuntimeException();
    }
  }

  /** A batch's slot is free: it goes to the requests that waited meanwhile, if any. */
  final void slotFreed() {
    List<Pending<Q, A>> next;
    synchronized (this) {
      inFlight--;
      next = takeBatchIfRoom();
    }
    if (next != null) {
      sendFlat(next);
    }
  }

  /** How many requests wait for a slot; for tests. */
  final synchronized int waitingCount() {
    return waiting.size();
  }

  /** Fails every request of {@code batch} not answered yet. */
  static <Q, A> void failUnanswered(List<Pending<Q, A>> batch, Throwable t) {
    StatusRuntimeException failure = t instanceof StatusRuntimeException s ? s
        : Status.fromThrowable(t).asRuntimeException();
    batch.forEach(p -> p.answer().completeExceptionally(failure));
  }

  /** The next batch, counted as holding a slot, if there is one and a slot for it; null otherwise. */
  private List<Pending<Q, A>> takeBatchIfRoom() {
    if (waiting.isEmpty() || inFlight >= maxInFlight) {
      return null;
    }
    List<Pending<Q, A>> batch = new ArrayList<>(Math.min(waiting.size(), maxPerBatch));
    long total = 0;
    while (!waiting.isEmpty() && batch.size() < maxPerBatch) {
      long size = bytes(waiting.peek().request());
      if (!batch.isEmpty() && total + size > maxBytesPerBatch) {
        break;
      }
      batch.add(waiting.poll());
      total += size;
    }
    inFlight++;
    return batch;
  }

  private void sendFlat(List<Pending<Q, A>> batch) {
    if (SENDING.get() != null) {
      Thread.ofVirtual().name("shoal-send").start(() -> sendFlat(batch));
      return;
    }
    SENDING.set(Boolean.TRUE);
    try {
      send(batch);
    } finally {
      SENDING.remove();
    }
  }
}
