package dev.shoal.benchmarks;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.MapCall;
import dev.shoal.RunOptions;
import dev.shoal.internal.controlplane.ControlPlane;
import dev.shoal.internal.controlplane.PoolStats;
import dev.shoal.internal.embedded.EmbeddedEngine;
import java.time.Duration;

/** Runs of {@link BenchmarkApp} on the embedded engine, and what the engine can tell about their containers. */
final class ShoalRuns {
  private static final Duration CONTAINERS_GONE = Duration.ofSeconds(30);
  private static final int PROGRESS_EVERY = 1_000;

  private ShoalRuns() {}

  static AppRun start(Backend backend) {
    return BenchmarkApp.app.run(RunOptions.builder().backend(backend).build());
  }

  /** "process" or "thread", for titles. */
  static String kind(Backend backend) {
    return switch (backend) {
      case PROCESSES -> "process";
      case THREADS -> "thread";
    };
  }

  /** Takes every result and returns their sum, reporting progress to the parent JVM as it goes. */
  static long sum(MapCall<Integer> results) {
    try (results) {
      long sum = 0;
      long taken = 0;
      for (Integer result : results) {
        sum += result;
        if (++taken % PROGRESS_EVERY == 0) {
          ChildJvm.Child.progress(taken + " results");
        }
      }
      return sum;
    }
  }

  static PoolStats pool(String function) {
    return controlPlane().poolStats(BenchmarkApp.app.name(), function).orElseThrow(
        () -> new IllegalStateException("the engine has no pool for " + function));
  }

  /**
   * Waits until a closed run's containers have exited, so that JVMs still shutting down take no CPU from the
   * next measurement on this two-core machine.
   */
  static void awaitNoContainers() throws InterruptedException {
    long deadline = System.nanoTime() + CONTAINERS_GONE.toNanos();
    while (controlPlane().liveContainers() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(controlPlane().liveContainers() + " containers were still live "
            + CONTAINERS_GONE.toSeconds() + " s after their run closed");
      }
      Thread.sleep(10);
    }
  }

  private static ControlPlane controlPlane() {
    return EmbeddedEngine.get().controlPlane();
  }
}
