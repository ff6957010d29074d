package dev.shoal.testing;

import dev.shoal.internal.client.NetThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * What an engine left behind once closed: the threads of Shoal's (named {@code shoal-…}) and the child processes
 * (containers, PostgreSQL) that were started while it ran and still live. Each gets until a shared deadline to end,
 * since closing stops them without waiting for every one; those still there after it are leaks.
 *
 * <p>Only Shoal's threads count: gRPC and Netty keep shared thread pools for the whole JVM, which outlive any one
 * engine by design.
 */
final class LeakCheck {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Duration wait;

  private final Set<Thread> threadsBefore;
  private final Set<Long> processesBefore;

  private LeakCheck(Duration wait, Set<Thread> threadsBefore, Set<Long> processesBefore) {
    this.wait = wait;
    this.threadsBefore = threadsBefore;
    this.processesBefore = processesBefore;
  }

  /** Notes what runs before the engine starts. */
  static LeakCheck begin() {
    return begin(WAIT);
  }

  /** As {@link #begin()}, giving what the engine started {@code wait} to end after it closes. */
  static LeakCheck begin(Duration wait) {
    return new LeakCheck(wait, Thread.getAllStackTraces().keySet(),
        ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet()));
  }

  /**
   * Waits for what the engine started to end.
   *
   * @throws AssertionError naming the threads and processes still alive after the wait; the processes are
   *     killed first, so that one leak does not outlive the test run
   */
  void verify() {
    long deadline = System.nanoTime() + wait.toNanos();
    List<String> leaks = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      // The network threads serve every engine and connection of the JVM and end with it, as gRPC's own did.
      if (threadsBefore.contains(t) || !t.getName().startsWith("shoal-") || NetThreads.isOne(t)) {
        continue;
      }
      try {
        if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
          leaks.add("thread " + t.getName());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the engine's threads to end", e);
      }
    }
    for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
      if (processesBefore.contains(p.pid())) {
        continue;
      }
      try {
        p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        leaks.add("process " + p.pid() + " (" + p.info().command().orElse("?") + ")");
        p.destroyForcibly();
      } catch (ExecutionException e) {
        throw new AssertionError("cannot wait for process " + p.pid(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the engine's processes to end", e);
      }
    }
    if (!leaks.isEmpty()) {
      throw new AssertionError("the Shoal engine left " + leaks.size() + " behind, still alive " + wait
          + " after it closed: " + String.join(", ", leaks)
          + " (an AppRun, a MapCall or a user thread not closed by the test?)");
    }
  }
}
