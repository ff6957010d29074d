package dev.shoal.internal.runtime;

import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Re-opens a container's stream after the control plane went away, with backoff, until a control plane welcomes
 * it back, refuses it, or the adoption window runs out.
 *
 * <p>A control plane that restarts is gone for as long as its new life takes to recover and listen (seconds on a
 * warm machine, a minute or so when Kubernetes must schedule it); the window is the Kubernetes backend's, within
 * which the new control plane keeps the pods it may adopt. Attempts start 200 ms apart and back off to 2 s, so that
 * a container is back within about 2 s of its control plane, and a thousand containers waiting ask no more than
 * a few hundred times a second between them.
 */
final class StreamReconnector {
  /** How one attempt ended. */
  enum Outcome {
    /** A control plane welcomed the container back. */
    RESUMED,
    /** No control plane answered; try again. */
    AWAY,
    /** A control plane answered and did not take the container back. */
    REFUSED
  }

  static final long FIRST_DELAY_MILLIS = 200;
  static final long MAX_DELAY_MILLIS = 2_000;
  /** How long an attempt waits for its welcome: a control plane that listens answers a hello at once. */
  private static final long ANSWER_MILLIS = 10_000;

  private final ContainerStream stream;
  private final Duration window;
  private final CountDownLatch stopped = new CountDownLatch(1);

  StreamReconnector(ContainerStream stream, Duration window) {
    this.stream = stream;
    this.window = window;
  }

  /**
   * Whether a stream that ended with {@code status} broke because the control plane went away (its process
   * ended, its connection was reset, its server was stopped), rather than because it ended the container (a
   * completed stream) or refused it.
   */
  static boolean serverWentAway(Status status) {
    return status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.CANCELLED;
  }

  /** Starts trying on a daemon thread of its own. */
  void start() {
    Thread.ofPlatform().daemon().name("shoal-reconnect").start(this::run);
  }

  /** Stops trying: the container is ending anyway. */
  void stop() {
    stopped.countDown();
  }

  private void run() {
    long deadline = System.nanoTime() + window.toNanos();
    long delay = FIRST_DELAY_MILLIS;
    try {
      while (!stopped.await(delay, TimeUnit.MILLISECONDS)) {
        Outcome outcome = attempt();
        if (outcome == Outcome.RESUMED) {
          return;
        }
        if (outcome == Outcome.REFUSED
            || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) - deadline > 0) {
          stream.gaveUp();
          return;
        }
        delay = Math.min(MAX_DELAY_MILLIS, delay * 2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.gaveUp();
    }
  }

  private Outcome attempt() throws InterruptedException {
    try {
      return stream.reopen().get(ANSWER_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return stream.abandonAttempt();
    } catch (ExecutionException e) {
      return Outcome.AWAY;
    }
  }
}
