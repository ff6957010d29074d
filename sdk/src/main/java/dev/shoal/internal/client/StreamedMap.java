package dev.shoal.internal.client;

import dev.shoal.MapCall;
import dev.shoal.MapOptions;
import dev.shoal.Result;
import dev.shoal.ShoalException;
import dev.shoal.internal.client.PublicApi.Failure;

import dev.shoal.internal.client.payload.Payloads;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.MapEnd;
import dev.shoal.protocol.v1.MapInput;
import dev.shoal.protocol.v1.MapInputs;
import dev.shoal.protocol.v1.MapOutput;
import dev.shoal.protocol.v1.MapRequest;
import dev.shoal.protocol.v1.MapResponse;
import dev.shoal.protocol.v1.MapStart;
import dev.shoal.protocol.v1.Payload;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.BaseStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One map over the Map stream of the protocol, yielding a {@link Result} per input.
 *
 * <p>A feeder thread pulls inputs from the caller's iterator, encodes them and sends them in batches. The window
 * semaphore holds one permit per input that was sent and whose result the caller has not taken yet; a permit
 * comes back only when the caller takes a result. That single rule bounds everything this class buffers: the
 * inputs in flight, the results that arrived out of order and wait for an earlier one, and the results that
 * wait for the caller. When one early input is slow, an ordered map stops sending instead of growing.
 */
final class StreamedMap<O> implements MapCall<Result<O>> {
  private static final int MAX_BATCH = 256;
  private static final long MAX_BATCH_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final String functionName;
  private final Iterator<?> source;
  private final BaseStream<?, ?> sourceStream;
  private final boolean ordered;
  private final ClassPolicy policy;
  private final PayloadLimits limits;
  private final EngineConnection connection;
  private final Semaphore window;
  private final ClientCallStreamObserver<MapRequest> requests;
  private final Thread feeder;
  private final ProgressBar progress;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private final Map<Long, dev.shoal.protocol.v1.Result> outOfOrder = new HashMap<>();
  private final ArrayDeque<dev.shoal.protocol.v1.Result> arrived = new ArrayDeque<>();
  private long sent;
  private long taken;
  private boolean inputsDone;
  private RuntimeException feedError;
  private RuntimeException streamError;
  private boolean streamCompleted;
  private boolean closed;
  private boolean iterating;
  private String callId;
  /** The bytes of inline arguments in the batch the feeder is filling; only the feeder touches it. */
  private long batchBytes;

  StreamedMap(FunctionTarget target, String functionName, Iterator<?> source, BaseStream<?, ?> sourceStream,
      long knownSize, MapOptions options, ClassPolicy policy, PayloadLimits limits) {
    this.functionName = functionName;
    this.limits = limits;
    this.connection = target.connection();
    this.source = source;
    this.sourceStream = sourceStream;
    this.ordered = options.ordered();
    this.policy = policy;
    this.window = new Semaphore(options.maxInFlight());
    this.progress = ProgressBar.start("map " + functionName,
        () -> target.connection().liveContainers(target.functionId()));
    if (knownSize >= 0) {
      // A sized source shows a bar from the start; a lazy one a count until its last input is sent.
      progress.total(knownSize);
    }
    Responses responses = new Responses();
    target.connection().async().map(responses);
    this.requests = responses.requests;
    requests.onNext(MapRequest.newBuilder()
        .setStart(MapStart.newBuilder().setFunctionId(target.functionId()))
        .build());
    this.feeder = Thread.ofVirtual().name("shoal-map-" + functionName).start(this::feed);
  }

  /** The map's call id, once the control plane has accepted it. */
  String callId() {
    lock.lock();
    try {
      return callId;
    } finally {
      lock.unlock();
    }
  }

  private void feed() {
    long index = 0;
    MapInputs.Builder batch = MapInputs.newBuilder();
    long batchStart = 0;
    try {
      while (source.hasNext()) {
        if (!window.tryAcquire()) {
          index = flush(batch, index);
          window.acquire();
        }
        Object input = source.next();
        if (batch.getInputsCount() == 0) {
          batchStart = System.nanoTime();
        }
        Payload args = Outcomes.encodeArgument(functionName, input, policy, limits, connection);
        batch.addInputs(MapInput.newBuilder().setIndex(index + batch.getInputsCount()).setArgs(args));
        batchBytes += args.getData().size();
        if (batch.getInputsCount() >= MAX_BATCH || batchBytes >= Payloads.MAX_BATCH_BYTES
            || System.nanoTime() - batchStart > MAX_BATCH_DELAY_NANOS) {
          index = flush(batch, index);
        }
      }
      index = flush(batch, index);
      // Marked before MapEnd goes out: the engine may end the response stream as soon as it has it.
      progress.total(index);
      lock.lock();
      try {
        inputsDone = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      synchronized (requests) {
        requests.onNext(MapRequest.newBuilder().setEnd(MapEnd.newBuilder().setTotal(index)).build());
        requests.onCompleted();
      }
    } catch (InterruptedException e) {
      // close() interrupts the feeder; the stream is already cancelled.
    } catch (RuntimeException e) {
      // What was sent before the failure still yields its results; then the caller gets this error.
      flush(batch, index);
      lock.lock();
      try {
        feedError = e instanceof ShoalException
            ? e
            : PublicApi.failure(Failure.GENERAL, "reading the map's inputs failed: " + e, e);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private long flush(MapInputs.Builder batch, long index) {
    int n = batch.getInputsCount();
    if (n == 0) {
      return index;
    }
    lock.lock();
    try {
      if (closed) {
        batch.clear();
        return index;
      }
      sent += n;
    } finally {
      lock.unlock();
    }
    synchronized (requests) {
      requests.onNext(MapRequest.newBuilder().setInputs(batch).build());
    }
    batch.clear();
    batchBytes = 0;
    return index + n;
  }

  @Override
  public Iterator<Result<O>> iterator() {
    lock.lock();
    try {
      if (iterating) {
        throw new IllegalStateException("a map's results can be iterated only once");
      }
      iterating = true;
    } finally {
      lock.unlock();
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return awaitNext();
      }

      @Override
      public Result<O> next() {
        if (!awaitNext()) {
          throw new NoSuchElementException();
        }
        dev.shoal.protocol.v1.Result result;
        lock.lock();
        try {
          result = ordered ? outOfOrder.remove(taken) : arrived.poll();
          taken++;
        } finally {
          lock.unlock();
        }
        window.release();
        progress.finished(result.getStatus() != dev.shoal.protocol.v1.ResultStatus.SUCCESS);
        return Outcomes.toResult(result, policy, connection, true);
      }
    };
  }

  /** Waits until a result can be taken (true) or the map is over (false); throws what ended it early. */
  private boolean awaitNext() {
    lock.lock();
    try {
      while (true) {
        if (closed) {
          return false;
        }
        if (ordered ? outOfOrder.containsKey(taken) : !arrived.isEmpty()) {
          return true;
        }
        if (taken == sent) {
          if (feedError != null) {
            throw feedError;
          }
          if (inputsDone) {
            finish();
            return false;
          }
        }
        if (streamError != null) {
          throw streamError instanceof ConnectionLost lost ? lost.report(this) : streamError;
        }
        if (streamCompleted) {
          throw PublicApi.failure(Failure.GENERAL, "the engine ended map " + callId + " of " + functionName
              + " after " + taken + " of " + sent + " results");
        }
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  private void finish() {
    closed = true;
    progress.close();
    sourceStream.close();
  }

  @Override
  public Stream<Result<O>> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false)
        .onClose(this::close);
  }

  @Override
  public List<Result<O>> toList() {
    List<Result<O>> all = new ArrayList<>();
    try (this) {
      forEach(all::add);
    }
    return all;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    progress.close();
    feeder.interrupt();
    synchronized (requests) {
      requests.cancel("the caller closed the map", null);
    }
    sourceStream.close();
  }

  /**
   * The map's stream broke because the engine could not be reached (a server restarting). A map keeps no state on
   * the engine that a new stream could resume, and its inputs carry no idempotency keys, so sending them again
   * could run some twice: the map ends with this error instead, once every result that arrived before it was
   * taken, saying how many were delivered.
   */
  private static final class ConnectionLost extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient StatusRuntimeException cause;

    ConnectionLost(StatusRuntimeException cause) {
      super(null, null, false, false);
      this.cause = cause;
    }

    /** The caller's error, counted when it is thrown: results taken by then are all that was delivered. */
    ShoalException report(StreamedMap<?> map) {
      String detail = cause.getStatus().getDescription() == null ? cause.getStatus().getCode().toString()
          : cause.getStatus().getDescription();
      if (map.callId == null && OutageRetry.neverSent(cause)) {
        return PublicApi.failure(Failure.GENERAL, "map of " + map.functionName
            + " could not reach the Shoal engine (" + detail
            + "): nothing ran; try again once the engine is back", cause);
      }
      return PublicApi.failure(Failure.GENERAL, "map " + (map.callId == null ? "" : map.callId + " ")
          + "of " + map.functionName
          + " lost its connection to the Shoal engine (" + detail + ") after delivering the results of " + map.taken
          + " of the " + map.sent + " inputs sent" + (map.ordered && map.taken > 0
              ? " (inputs 0.." + (map.taken - 1) + ", in order)" : "")
          + "; the rest may or may not have run, and their results are lost. A map is not resumed after a server"
          + " restart, since its inputs may not be safe to run twice: map the remaining inputs again, or use"
          + " spawn or spawnMap, which survive a restart", cause);
    }
  }

  /** Receives the control plane's responses on gRPC's threads. */
  private final class Responses implements ClientResponseObserver<MapRequest, MapResponse> {
    ClientCallStreamObserver<MapRequest> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<MapRequest> requestStream) {
      this.requests = requestStream;
    }

    @Override
    public void onNext(MapResponse response) {
      lock.lock();
      try {
        switch (response.getKindCase()) {
          case STARTED -> callId = response.getStarted().getCallId();
          case OUTPUTS -> {
            for (MapOutput output : response.getOutputs().getOutputsList()) {
              if (ordered) {
                outOfOrder.put(output.getIndex(), output.getResult());
              } else {
                arrived.add(output.getResult());
              }
            }
          }
          default -> { }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onError(Throwable t) {
      lock.lock();
      try {
        if (!closed) {
          streamError = t instanceof StatusRuntimeException s
              ? (OutageRetry.isOutage(s) ? new ConnectionLost(s) : EngineErrors.translate(s, "map " + functionName))
              : PublicApi.failure(Failure.GENERAL, "map " + functionName + " failed: " + t, t);
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onCompleted() {
      lock.lock();
      try {
        streamCompleted = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
