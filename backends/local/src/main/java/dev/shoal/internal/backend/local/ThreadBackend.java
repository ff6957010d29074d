package dev.shoal.internal.backend.local;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.internal.controlplane.backend.ContainerExitListener;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.internal.runtime.Container;
import dev.shoal.internal.runtime.ContainerHost;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs each container as threads in this JVM: no isolation, but it starts in microseconds, which suits tests and
 * debugging. Killing such a container interrupts its threads and closes its stream; code that ignores interrupts
 * keeps running until it returns, and its result is then dropped.
 */
public final class ThreadBackend implements ContainerBackend {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final String target;
  private final int capacity;
  private final Map<String, Running> live = new ConcurrentHashMap<>();

  /** A container's thread, and whether this backend ended it (which makes its end a stop, not a failure). */
  private record Running(Thread thread, Container container, AtomicBoolean killed) {
    void kill() {
      killed.set(true);
      container.kill();
    }
  }

  /**
   * @param target where containers find the control plane ({@code inprocess:NAME})
   */
  public ThreadBackend(String target, int capacity) {
    this.target = target;
    this.capacity = capacity;
  }

  @Override
  public String name() {
    return "threads";
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public ContainerHandle start(ContainerSpec spec, ContainerExitListener onExit) {
    Container container = new Container(target, spec.containerId(), spec.token(), ContainerHost.SHARED_JVM);
    AtomicBoolean killed = new AtomicBoolean();
    Thread thread = Thread.ofPlatform().daemon().name("shoal-container-" + spec.containerId()).unstarted(() -> {
      int code = -1;
      try {
        code = container.run();
      } finally {
        live.remove(spec.containerId());
        // Threads end only by themselves or by this backend's kill: nothing outside can signal them.
        onExit.exited(spec.containerId(), killed.get() ? ContainerExit.stopped(code, "")
            : ContainerExit.exited(code, ""));
      }
    });
    Running running = new Running(thread, container, killed);
    live.put(spec.containerId(), running);
    thread.start();
    return new ContainerHandle() {
      @Override
      public void kill() {
        running.kill();
      }

      @Override
      public boolean isAlive() {
        return thread.isAlive();
      }

      @Override
      public long pid() {
        return -1;
      }
    };
  }

  /**
   * Kills every container, as {@link ContainerHandle#kill} does, so that each is reported stopped rather than as
   * a failure of its own, and waits for their threads to end, {@link #CLOSE_WAIT} at most in all. User code that
   * ignores interrupts may outlast the wait; its thread is a daemon and its result is dropped.
   */
  @Override
  public void close() {
    List<Running> all = List.copyOf(live.values());
    for (Running r : all) {
      r.kill();
      r.thread().interrupt();
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    for (Running r : all) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        r.thread().join(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
