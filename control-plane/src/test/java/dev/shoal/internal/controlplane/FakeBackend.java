package dev.shoal.internal.controlplane;

import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerExit;
import dev.shoal.internal.controlplane.backend.ContainerExitListener;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A backend whose containers do nothing by themselves: a test plays each one's part (its hello, ready, outputs,
 * the end of its stream) and says how it ended. A container it is told to kill reports that it was stopped.
 */
final class FakeBackend implements ContainerBackend {
  private final int capacity;
  private final List<FakeContainer> started = new CopyOnWriteArrayList<>();

  FakeBackend(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public ContainerHandle start(ContainerSpec spec, ContainerExitListener onExit) {
    FakeContainer container = new FakeContainer(spec, onExit);
    started.add(container);
    return container;
  }

  /** Containers of an earlier life of the control plane that this backend still runs, by id: what adopt() takes. */
  final Map<String, ContainerSpec> survivors = new ConcurrentHashMap<>();
  /** The containers adopted, in order. */
  final List<FakeContainer> adopted = new CopyOnWriteArrayList<>();

  @Override
  public Optional<ContainerHandle> adopt(String containerId, ContainerExitListener onExit) {
    ContainerSpec spec = survivors.remove(containerId);
    if (spec == null) {
      return Optional.empty();
    }
    FakeContainer container = new FakeContainer(spec, onExit);
    adopted.add(container);
    return Optional.of(container);
  }

  /** Every container started, in order. */
  List<FakeContainer> started() {
    return started;
  }

  FakeContainer container(int index) {
    return started.get(index);
  }

  /** Whether this backend's containers outlive the control plane, as pods do; false unless a test says so. */
  volatile boolean handsOver;
  /** Set when the control plane handed its containers over instead of closing the backend. */
  volatile boolean handedOver;

  @Override
  public boolean handsOverContainers() {
    return handsOver;
  }

  @Override
  public void handOver() {
    handedOver = true;
  }

  @Override
  public void close() {
    started.forEach(FakeContainer::kill);
  }

  /** One container, as the test drives it. */
  static final class FakeContainer implements ContainerHandle {
    final ContainerSpec spec;
    private final ContainerExitListener onExit;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean killed = new AtomicBoolean();

    FakeContainer(ContainerSpec spec, ContainerExitListener onExit) {
      this.spec = spec;
      this.onExit = onExit;
    }

    /** Reports that the container ended as {@code exit} says, once. */
    void exit(ContainerExit exit) {
      if (ended.compareAndSet(false, true)) {
        onExit.exited(spec.containerId(), exit);
      }
    }

    boolean wasKilled() {
      return killed.get();
    }

    /** Plays a platform that has not yet given the container a place to run (a pod waiting for a node). */
    volatile boolean awaitingPlatform;

    @Override
    public boolean awaitingPlatform() {
      return awaitingPlatform;
    }

    @Override
    public void kill() {
      killed.set(true);
      exit(ContainerExit.stopped(137, ""));
    }

    /** A container whose stream ended is left for the test to end: how it ends is what the test is about. */
    @Override
    public void disconnected() {}

    @Override
    public boolean isAlive() {
      return !ended.get();
    }

    @Override
    public long pid() {
      return -1;
    }
  }
}
