package dev.shoal.internal.backend.local;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.internal.controlplane.backend.ContainerExitListener;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.internal.runtime.Container;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs each container as threads in this JVM: no isolation, but it starts in microseconds, which suits tests and
 * debugging. Killing such a container interrupts its threads and closes its stream; code that ignores interrupts
 * keeps running until it returns, and its result is then dropped.
 */
public final class ThreadBackend implements ContainerBackend {
  private final String target;
  private final int capacity;
  private final Map<String, Thread> live = new ConcurrentHashMap<>();

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
    Container container = new Container(target, spec.containerId(), spec.token(), false);
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
    live.put(spec.containerId(), thread);
    thread.start();
    return new ContainerHandle() {
      @Override
      public void kill() {
        killed.set(true);
        container.kill();
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

  @Override
  public void close() {
    for (Thread t : live.values()) {
      t.interrupt();
    }
  }
}
