package dev.shoal.spring;

import dev.shoal.CallStatus;
import dev.shoal.FunctionCall;
import dev.shoal.NotFoundException;
import dev.shoal.RemoteFunction;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;

/**
 * Deployed Shoal functions, as a Spring bean: spawn a call from a web request, hand back its id, and read its
 * status and result by that id from any later request (in this instance or another).
 *
 * <p>A spawn returns once the server has stored the call, so an id handed to a client is never lost. When the
 * application shuts down it takes no new spawns and waits, up to {@code shoal.shutdown-timeout}, for those already
 * on their way to be acknowledged; it stops after the web server has finished its requests.
 *
 * <p>Handles from {@code RemoteFunction.fromName} are kept per app and function, so that a spawn costs one round
 * trip; a handle whose app has been stopped or replaced is looked up again once.
 */
public final class ShoalClient implements SmartLifecycle {
  /** After the web server's graceful shutdown and its stop, so that the requests it finishes can still spawn. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final Duration shutdownTimeout;
  private final ClientStats stats;
  private final Map<FunctionName, RemoteFunction<?, ?>> functions = new ConcurrentHashMap<>();
  /** Guarded by this. */
  private int inFlight;
  /** Guarded by this. */
  private boolean running;

  ShoalClient(Duration shutdownTimeout, ClientStats stats) {
    this.shutdownTimeout = shutdownTimeout;
    this.stats = stats;
  }

  /**
   * The deployed function {@code function} of the app {@code app}, as {@code RemoteFunction.fromName} finds it.
   *
   * @throws NotFoundException if no deployed app of that name has that function
   */
  @SuppressWarnings("unchecked")
  public <I, O> RemoteFunction<I, O> function(String app, String function) {
    return (RemoteFunction<I, O>) functions.computeIfAbsent(new FunctionName(app, function), name -> {
      stats.lookups.increment();
      return RemoteFunction.fromName(app, function);
    });
  }

  /**
   * Spawns a call of a deployed function and returns once the server has stored it.
   *
   * @throws IllegalStateException if the application is shutting down
   * @throws NotFoundException if no deployed app of that name has that function
   */
  public <I, O> FunctionCall<O> spawn(String app, String function, I input) {
    enter();
    long started = System.nanoTime();
    boolean acknowledged = false;
    try {
      FunctionCall<O> call = spawnOnce(app, function, input);
      acknowledged = true;
      return call;
    } finally {
      stats.spawned(acknowledged, System.nanoTime() - started);
      leave();
    }
  }

  private <I, O> FunctionCall<O> spawnOnce(String app, String function, I input) {
    try {
      return this.<I, O>function(app, function).spawn(input);
    } catch (NotFoundException e) {
      // The handle may name a run of the app that has since stopped or been replaced by a new deployment.
      if (functions.remove(new FunctionName(app, function)) == null) {
        throw e;
      }
      return this.<I, O>function(app, function).spawn(input);
    }
  }

  /** The call with this id, made by a spawn in this or another process. */
  public <O> FunctionCall<O> call(String callId) {
    return FunctionCall.fromId(callId);
  }

  /** Where the call with this id stands. */
  public CallStatus status(String callId) {
    return FunctionCall.fromId(callId).status();
  }

  /**
   * The call's result if it has finished, without waiting; empty while it runs.
   *
   * @throws dev.shoal.ShoalException the call's failure, as {@link FunctionCall#poll()} rethrows it
   */
  public <O> Optional<O> result(String callId) {
    boolean succeeded = false;
    try {
      Optional<O> result = FunctionCall.<O>fromId(callId).poll();
      succeeded = true;
      if (result.isPresent()) {
        stats.resultsRead.increment();
      }
      return result;
    } finally {
      if (!succeeded) {
        stats.failuresRead.increment();
      }
    }
  }

  /** How many spawns are on their way to the server now. */
  public synchronized int inFlightSpawns() {
    return inFlight;
  }

  private synchronized void enter() {
    if (!running) {
      throw new IllegalStateException("the application is shutting down: Shoal takes no new spawns");
    }
    inFlight++;
  }

  private synchronized void leave() {
    inFlight--;
    if (inFlight == 0) {
      notifyAll();
    }
  }

  @Override
  public synchronized void start() {
    running = true;
  }

  /** Takes no new spawns and waits for those in flight to be acknowledged, up to the shutdown timeout. */
  @Override
  public synchronized void stop() {
    running = false;
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    while (inFlight > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        System.getLogger(ShoalClient.class.getName()).log(System.Logger.Level.WARNING,
            "stopped with " + inFlight + " Shoal spawns not yet acknowledged after " + shutdownTimeout
                + " (shoal.shutdown-timeout); their callers have not been given a call id");
        return;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  ClientStats stats() {
    return stats;
  }

  private record FunctionName(String app, String function) {}
}
