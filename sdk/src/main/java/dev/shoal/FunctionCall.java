package dev.shoal;

import dev.shoal.internal.client.CallClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * A handle on a spawned call. Its {@link #id()} is valid in any process that reaches the same engine, for as
 * long as the result is retained; {@link #get()} may be called any number of times and always returns the one
 * result of the call.
 */
public final class FunctionCall<O> {
  private static final Pattern ID = Pattern.compile("fc-[A-Za-z0-9]{1,64}");
  /** Each wait on the engine is at most this long, so that a dead connection is noticed. */
  private static final long LONG_POLL_MS = 55_000;

  private final CallClient call;

  FunctionCall(CallClient call) {
    this.call = call;
  }

  /** A handle on the call with this id, made by {@code spawn} in this or another process. */
  public static <O> FunctionCall<O> fromId(String id) {
    Checks.notNull("call id", id);
    if (!ID.matcher(id).matches()) {
      throw new InvalidOptionException("a function call id looks like fc-…, was '" + id + "'");
    }
    return new FunctionCall<>(CallClient.of(id));
  }

  /**
   * Waits for every call at once and returns their results in argument order. The first failure is thrown as soon
   * as it happens, whichever call it belongs to, without waiting for the others; they are not cancelled.
   */
  @SafeVarargs
  public static <O> List<O> gather(FunctionCall<? extends O>... calls) {
    Checks.notNull("calls", calls);
    List<FunctionCall<? extends O>> all = new ArrayList<>(calls.length);
    for (FunctionCall<? extends O> call : calls) {
      Checks.notNull("call", call);
      all.add(call);
    }
    return Gathering.all(all);
  }

  /** The call's id, {@code fc-…}. */
  public String id() {
    return call.id();
  }

  /**
   * Waits as long as it takes for the result; a remote failure is rethrown. An engine that cannot be reached
   * meanwhile (a server restarting) is waited for up to the client's retry deadline.
   */
  public O get() {
    while (true) {
      Result<O> result = await(LONG_POLL_MS, Long.MAX_VALUE);
      if (result != null) {
        return result.value();
      }
    }
  }

  /**
   * Waits up to {@code timeout} for the result.
   *
   * @throws CallTimeoutException if the call has not finished by then; {@link Duration#ZERO} checks once
   */
  public O get(Duration timeout) {
    Checks.notNull("timeout", timeout);
    if (timeout.isNegative()) {
      throw new InvalidOptionException("timeout must not be negative, was " + timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
      Result<O> result = await(Math.min(left, LONG_POLL_MS), deadline);
      if (result != null) {
        return result.value();
      }
      if (System.nanoTime() >= deadline) {
        throw new CallTimeoutException("call " + call.id() + " did not finish within " + Checks.format(timeout));
      }
    }
  }

  /**
   * The result if the call has finished, without waiting; a remote failure is rethrown. A function that returned
   * {@code null} gives an empty optional, as an unfinished call does: use {@link #status()} to tell them apart.
   */
  public Optional<O> poll() {
    Result<O> result = await(0, Long.MAX_VALUE);
    return result == null ? Optional.empty() : Optional.ofNullable(result.value());
  }

  public CallStatus status() {
    return call.status();
  }

  /**
   * Cancels the call: a queued input never runs; a running one is interrupted and answered as cancelled at once,
   * is not retried, and its container takes its next input once the input stops. Code that ignores the interrupt
   * is stopped where it next calls Shoal ({@link Shoal#context()}, or a call of its own); if it is still running
   * 5 s after the cancellation, its container is replaced.
   */
  public void cancel() {
    cancel(false);
  }

  /**
   * Cancels the call and, when asked, stops the containers running it (their other inputs are re-queued). Repeating
   * a cancel changes nothing, so it is tried again while the engine cannot be reached.
   */
  public void cancel(boolean terminateContainers) {
    call.cancel(terminateContainers);
  }

  /**
   * The call's own lines of its app's log, oldest first: what its input printed (on any attempt), and for each
   * failed attempt a line naming the input, the call, the attempt, the remote type and message, followed by the
   * remote stack trace. An app's log is a bounded buffer, kept in memory while the app runs and for a while after,
   * so the oldest lines of a long or chatty run may be gone.
   *
   * @throws NotFoundException if the engine knows no such call, or no longer keeps its app's log
   */
  public List<String> logs() {
    return call.logs();
  }

  /** The result as a future, completed from a virtual thread that waits for it. */
  public CompletableFuture<O> future() {
    CompletableFuture<O> future = new CompletableFuture<>();
    Thread.ofVirtual().name("shoal-await-" + call.id()).start(() -> {
      try {
        future.complete(get());
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    });
    return future;
  }

  /**
   * The call's result, or null if it has not finished within the timeout.
   *
   * @param callerDeadlineNanos when the caller stops waiting (on {@link System#nanoTime()}'s clock), which ends the
   *     retries through an outage too
   */
  private Result<O> await(long timeoutMs, long callerDeadlineNanos) {
    return call.await(timeoutMs, callerDeadlineNanos);
  }

  @Override
  public String toString() {
    return "FunctionCall[" + call.id() + "]";
  }
}
