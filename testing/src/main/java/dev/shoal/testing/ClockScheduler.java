package dev.shoal.testing;

import dev.shoal.internal.controlplane.Scheduler;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The control plane's timers on a {@link TestClock}'s time: each task is due at a time of that clock, and one
 * thread runs it once the clock gets there, either by itself (the clock runs with the real time) or because the
 * test moved it on. The engine's own scheduler waits on the real time, which would keep a retry's backoff from
 * being skipped by a test.
 */
final class ClockScheduler implements Scheduler {
  private final TestClock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Guarded by lock; soonest first, then in the order scheduled. */
  private final PriorityQueue<Due> queue = new PriorityQueue<>();
  private final AtomicLong order = new AtomicLong();
  private final Thread runner;
  private volatile boolean closed;

  ClockScheduler(TestClock clock, String threadName) {
    this.clock = clock;
    clock.onAdvance(this::wake);
    runner = Thread.ofPlatform().daemon().name(threadName).start(this::run);
  }

  @Override
  public Task schedule(long delayMillis, Runnable task) {
    Due due = new Due(clock.millis() + delayMillis, order.incrementAndGet(), task, 0);
    add(due);
    return due::cancel;
  }

  @Override
  public Task scheduleEvery(long periodMillis, Runnable task) {
    Due due = new Due(clock.millis() + periodMillis, order.incrementAndGet(), task, periodMillis);
    add(due);
    return due::cancel;
  }

  private void add(Due due) {
    lock.lock();
    try {
      queue.add(due);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void wake() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (!closed) {
      Due next;
      lock.lock();
      try {
        next = queue.peek();
        long wait = next == null ? Long.MAX_VALUE : next.atMillis() - clock.millis();
        if (wait > 0) {
          // Woken by a new task, an advance of the clock or close; otherwise when the real time catches up.
          changed.await(Math.min(wait, TimeUnit.DAYS.toMillis(1)), TimeUnit.MILLISECONDS);
          continue;
        }
        queue.poll();
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      if (next.cancelled().get()) {
        continue;
      }
      try {
        next.task().run();
      } catch (RuntimeException e) {
        System.getLogger(ClockScheduler.class.getName())
            .log(System.Logger.Level.WARNING, "a timer of the test engine failed", e);
      }
      if (next.periodMillis() > 0 && !next.cancelled().get()) {
        // As the engine's own scheduler does: the next run one period after this one ends.
        add(next.again(clock.millis() + next.periodMillis(), order.incrementAndGet()));
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    runner.interrupt();
    try {
      runner.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A task and when it is due; a repeating one goes on as a copy that shares its cancellation. */
  private record Due(long atMillis, long seq, Runnable task, long periodMillis, AtomicBoolean cancelled)
      implements Comparable<Due> {
    Due(long atMillis, long seq, Runnable task, long periodMillis) {
      this(atMillis, seq, task, periodMillis, new AtomicBoolean());
    }

    Due again(long at, long nextSeq) {
      return new Due(at, nextSeq, task, periodMillis, cancelled);
    }

    void cancel() {
      cancelled.set(true);
    }

    @Override
    public int compareTo(Due o) {
      return atMillis != o.atMillis ? Long.compare(atMillis, o.atMillis) : Long.compare(seq, o.seq);
    }
  }
}
