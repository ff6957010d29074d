package dev.shoal.internal.controlplane;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The {@link Scheduler} of a running engine: one daemon thread that runs every task when it is due. */
final class ExecutorScheduler implements Scheduler {
  private final ScheduledExecutorService executor;

  ExecutorScheduler(String threadName) {
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public Task schedule(long delayMillis, Runnable task) {
    ScheduledFuture<?> future = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public Task scheduleEvery(long periodMillis, Runnable task) {
    ScheduledFuture<?> future =
        executor.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
