package dev.shoal.internal.controlplane;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A scheduler that runs nothing until a test moves its {@link FakeClock}: {@link #advance} runs every task due on
 * the way, in the order they are due, with the clock set to each one's time, so that a task sees the time it was
 * meant to run at.
 */
final class FakeScheduler implements Scheduler {
  private final FakeClock clock;
  private final PriorityQueue<Entry> due = new PriorityQueue<>();
  private long sequence;
  private boolean closed;

  FakeScheduler(FakeClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Task schedule(long delayMillis, Runnable task) {
    return add(clock.millis() + Math.max(0, delayMillis), 0, task);
  }

  @Override
  public synchronized Task scheduleEvery(long periodMillis, Runnable task) {
    return add(clock.millis() + periodMillis, periodMillis, task);
  }

  private Entry add(long atMillis, long periodMillis, Runnable task) {
    Entry entry = new Entry(atMillis, sequence++, periodMillis, task);
    if (!closed) {
      due.add(entry);
    }
    return entry;
  }

  /** Moves the clock on by {@code by}, running each task that falls due on the way. */
  void advance(Duration by) {
    long until = clock.millis() + by.toMillis();
    while (true) {
      Entry next;
      synchronized (this) {
        next = due.peek();
        if (next == null || next.atMillis > until) {
          break;
        }
        due.poll();
      }
      if (next.atMillis > clock.millis()) {
        clock.advanceMillis(next.atMillis - clock.millis());
      }
      if (next.isCancelled()) {
        continue;
      }
      if (next.periodMillis > 0) {
        synchronized (this) {
          if (!closed) {
            // Fixed delay, as the real scheduler: a clock that jumped is not caught up with one run per period.
            long at = Math.max(next.atMillis, clock.millis()) + next.periodMillis;
            due.add(new Entry(at, sequence++, next.periodMillis, next.task, next));
          }
        }
      }
      next.task.run();
    }
    if (until > clock.millis()) {
      clock.advanceMillis(until - clock.millis());
    }
  }

  void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }

  /** Runs the tasks due now, without moving the clock. */
  void runDue() {
    advance(Duration.ZERO);
  }

  /** How many tasks wait to run, repeating ones included. */
  synchronized int pending() {
    return (int) due.stream().filter(e -> !e.isCancelled()).count();
  }

  @Override
  public synchronized void close() {
    closed = true;
    due.clear();
  }

  /** A task and when it runs next; a repeating task's later runs share the first one's cancellation. */
  private static final class Entry implements Task, Comparable<Entry> {
    final long atMillis;
    final long order;
    final long periodMillis;
    final Runnable task;
    private final Entry first;
    private volatile boolean cancelled;

    Entry(long atMillis, long order, long periodMillis, Runnable task) {
      this(atMillis, order, periodMillis, task, null);
    }

    Entry(long atMillis, long order, long periodMillis, Runnable task, Entry previous) {
      this.atMillis = atMillis;
      this.order = order;
      this.periodMillis = periodMillis;
      this.task = task;
      this.first = previous == null ? this : previous.first;
    }

    boolean isCancelled() {
      return first.cancelled;
    }

    @Override
    public void cancel() {
      first.cancelled = true;
    }

    @Override
    public int compareTo(Entry other) {
      int byTime = Long.compare(atMillis, other.atMillis);
      return byTime != 0 ? byTime : Long.compare(order, other.order);
    }
  }
}
