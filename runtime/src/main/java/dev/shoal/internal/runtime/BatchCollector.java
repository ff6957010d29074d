package dev.shoal.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * Gathers a container's queued inputs into batches: a batch is complete when it holds {@code maxSize} inputs, or
 * {@code waitNanos} after its first input arrived in the container, whichever comes first. The wait counts from
 * the arrival rather than from when a worker took the input: an input that queued while every worker ran a batch
 * has waited already, and waits only what is left of its wait, so that no input waits longer than the wait plus
 * the batch ahead of it.
 *
 * <p>Several workers share one collector, but only one of them gathers at a time: the others wait for the lock.
 * Without that, two idle workers would each take one of two inputs that arrive together and run two batches of
 * one. With it, a worker gathers a batch while the others run theirs, so batches stay full under load.
 */
final class BatchCollector<E> {
  private final BlockingQueue<E> queue;
  private final E stop;
  private final int maxSize;
  private final long waitNanos;
  private final ToLongFunction<E> arrivedAt;
  private final ReentrantLock gathering = new ReentrantLock();

  /**
   * @param stop the element that tells one worker to stop; it ends the batch being gathered and is not part of it
   * @param arrivedAt when an element was queued, by {@link System#nanoTime()}
   */
  BatchCollector(BlockingQueue<E> queue, E stop, int maxSize, long waitNanos, ToLongFunction<E> arrivedAt) {
    this.queue = queue;
    this.stop = stop;
    this.maxSize = maxSize;
    this.waitNanos = waitNanos;
    this.arrivedAt = arrivedAt;
  }

  /**
   * A batch and whether a stop element ended it.
   *
   * @param items 0..maxSize elements in queue order; empty only when {@code stop} is set
   */
  record Batch<E>(List<E> items, boolean stop) {}

  /** Waits for the next batch. */
  Batch<E> next() throws InterruptedException {
    gathering.lockInterruptibly();
    try {
      E first = queue.take();
      if (first == stop) {
        return new Batch<>(List.of(), true);
      }
      List<E> items = new ArrayList<>(Math.min(maxSize, 64));
      items.add(first);
      long deadline = arrivedAt.applyAsLong(first) + waitNanos;
      while (items.size() < maxSize) {
        long left = deadline - System.nanoTime();
        // Whatever is already queued joins the batch even when the wait is over (or zero).
        E next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
        if (next == null) {
          break;
        }
        if (next == stop) {
          return new Batch<>(items, true);
        }
        items.add(next);
      }
      return new Batch<>(items, false);
    } finally {
      gathering.unlock();
    }
  }
}
