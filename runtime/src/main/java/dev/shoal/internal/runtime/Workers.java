package dev.shoal.internal.runtime;

import dev.shoal.internal.client.ContainerScope;
import dev.shoal.protocol.v1.ContainerInput;
import dev.shoal.protocol.v1.ContainerOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A container's workers: virtual threads, as many as the function's concurrency, that take inputs from the local
 * queue, run them and hand their outputs to the {@link Outbox}. A batched function's workers each take a batch at
 * a time (see {@link BatchCollector}). Inputs may arrive before the workers start; they wait in the queue.
 */
final class Workers {
  private static final InputWork STOP = new InputWork(null, 0);

  private final LinkedBlockingQueue<InputWork> queue = new LinkedBlockingQueue<>();
  private final RunningInputs running = new RunningInputs();
  // Guarded by this.
  private final List<Thread> threads = new ArrayList<>();
  private BatchCollector<InputWork> batchCollector;

  /** Queues inputs that arrived together, noting when. */
  void add(List<ContainerInput> inputs) {
    running.received(inputs.stream().map(ContainerInput::getInputId).toList());
    long arrived = System.nanoTime();
    for (ContainerInput in : inputs) {
      queue.add(new InputWork(in, arrived));
    }
  }

  /**
   * Cancels inputs: those still queued are answered without running when a worker takes them, and the workers
   * running the others are interrupted.
   */
  void cancel(List<String> inputIds) {
    running.cancel(inputIds);
  }

  /** What the runner consults to tell cancelled inputs. */
  RunningInputs running() {
    return running;
  }

  /** Starts the workers, each inside the container's scope. */
  synchronized void start(int concurrency, ServedCode served, InputRunner runner, Outbox outbox,
      PrefetchWindow window, ContainerScope scope) {
    for (int i = 0; i < concurrency; i++) {
      Runnable worker = served.batched()
          ? () -> workOnBatches(served, runner, outbox, window)
          : () -> work(runner, outbox, window);
      threads.add(Thread.ofVirtual().name("shoal-input-" + i).start(() -> scope.run(worker)));
    }
  }

  /** Lets every worker finish the input it runs, waiting for them at most {@code millis} in all. */
  void stop(long millis) {
    List<Thread> started;
    synchronized (this) {
      started = List.copyOf(threads);
    }
    started.forEach(t -> queue.add(STOP));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (Thread w : started) {
      try {
        w.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Interrupts every worker, as a killed process would stop them. */
  synchronized void interrupt() {
    threads.forEach(Thread::interrupt);
  }

  private void work(InputRunner runner, Outbox outbox, PrefetchWindow window) {
    int held = 0;
    try {
      while (true) {
        InputWork next = queue.take();
        if (next == STOP) {
          outbox.flush();
          return;
        }
        long start = System.nanoTime();
        ContainerOutput output = runner.run(next.input());
        // Measured before the output goes out, so that the window sent with it reflects this input's speed.
        window.finished(1, System.nanoTime() - start);
        // A fast function's output waits for the next one while more inputs are at hand, so that a map's outputs
        // share messages even with one worker, as they did when a sender thread of its own gathered them. Only a
        // fast function's: the next input is likely as fast, and at worst the heartbeat sends what waits.
        if (held < Outbox.MAX_BATCH && window.fast() && !queue.isEmpty()) {
          outbox.hold(output);
          held++;
        } else {
          outbox.add(output);
          held = 0;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void workOnBatches(ServedCode served, InputRunner runner, Outbox outbox, PrefetchWindow window) {
    BatchCollector<InputWork> batches = collector(served);
    try {
      while (true) {
        BatchCollector.Batch<InputWork> batch = batches.next();
        if (!batch.items().isEmpty()) {
          long start = System.nanoTime();
          List<ContainerOutput> outputs = runner.runBatch(batch.items().stream().map(InputWork::input).toList());
          window.finished(batch.items().size(), System.nanoTime() - start);
          outbox.addAll(outputs);
        }
        if (batch.stop()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The one collector that every batch worker gathers from, so that only one gathers at a time. */
  private synchronized BatchCollector<InputWork> collector(ServedCode served) {
    if (batchCollector == null) {
      batchCollector = new BatchCollector<>(queue, STOP, served.batchMaxSize(), served.batchWaitNanos(),
          InputWork::arrivedAt);
    }
    return batchCollector;
  }

  /** An input and when it arrived, by {@link System#nanoTime()}. */
  private record InputWork(ContainerInput input, long arrivedAt) {}
}
