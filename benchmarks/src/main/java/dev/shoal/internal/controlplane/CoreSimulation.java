package dev.shoal.internal.controlplane;

import com.google.protobuf.ByteString;
import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerExitListener;
import dev.shoal.internal.controlplane.backend.ContainerHandle;
import dev.shoal.internal.controlplane.backend.ContainerSpec;
import dev.shoal.internal.store.memory.MemoryStore;
import dev.shoal.protocol.v1.ContainerOutput;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.MapInput;
import dev.shoal.protocol.v1.MapOutputs;
import dev.shoal.protocol.v1.Payload;
import dev.shoal.protocol.v1.Result;
import dev.shoal.protocol.v1.ResultStatus;
import dev.shoal.protocol.v1.StartAppRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A simulation of the control plane's core at scale: thousands of containers and a million queued inputs driven
 * through the real {@link ControlPlane} and {@link FunctionPool} on a simulated clock and scheduler, with no gRPC,
 * no processes and no sleeping. It times each decision the core makes (a dispatch with its scaling decision after
 * a submit, a ready container or an output; a tick with its timeout scan) and prints their distribution.
 *
 * <p>It lives in the control plane's package, in the benchmarks module, to play the containers' part through the
 * pool's own entry points, as the container service does. Run it as {@code benchmarks/README.md} says:
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -Xmx4g -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt)" \
 *     dev.shoal.internal.controlplane.CoreSimulation [containers] [inputs] [outputs to time]
 * </pre>
 */
public final class CoreSimulation {
  private static final int SUBMIT_BATCH = 10_000;

  private final SimulatedTime time = new SimulatedTime();
  private final SimBackend backend;
  private final ControlPlane controlPlane;
  private FunctionPool pool;
  private final MapSession map;
  private final ArrayDeque<Sent> unanswered = new ArrayDeque<>();

  private CoreSimulation(int containers) {
    backend = new SimBackend(containers);
    controlPlane = new ControlPlane(time, time, new MemoryStore(), Duration.ofDays(1), null, backend.name(), null);
    controlPlane.addBackend(backend);
    String functionId = controlPlane.startApp(StartAppRequest.newBuilder()
        .setAppName("core-simulation")
        .setAppClass("none")
        .setDetach(true)
        .addFunctions(FunctionDefinition.newBuilder()
            .setName("f")
            .setTimeoutMs(3_600_000)
            .setStartupTimeoutMs(3_600_000)
            .setMaxContainers(containers)
            .setMaxConcurrentInputs(1)
            .setScaledownWindowMs(600_000))
        .build()).getFunctionIdsOrThrow("f");
    map = controlPlane.openMap(functionId, new MapCallRecord.Sink() {
      @Override
      public void outputs(MapOutputs outputs) {}

      @Override
      public void completed() {}

      @Override
      public void cancelled(String why) {}
    });
  }

  public static void main(String[] args) {
    int containers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int inputs = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int timedOutputs = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
    System.out.printf(Locale.ROOT, "core simulation: %,d containers, %,d inputs, %,d outputs timed%n", containers,
        inputs, timedOutputs);
    Report report = new CoreSimulation(containers).run(containers, inputs, timedOutputs, System.out::println);
    System.out.printf(Locale.ROOT, "heap per queued input, after collections: %,d bytes%n%n",
        report.heapBytesPerQueuedInput());
    for (Timings t : report.timings()) {
      t.print();
    }
  }

  /**
   * Runs a simulation and returns what it measured, for the benchmark harness: each kind of decision's CPU and wall
   * percentiles (as {@code "<kind>.cpu.p99Ms"} and the like) and the heap each queued input takes.
   *
   * @param progress told of each phase and of progress within it, so that a long run is not taken for a hung one
   */
  public static Map<String, Object> measure(int containers, int inputs, int timedOutputs,
      Consumer<String> progress) {
    Report report = new CoreSimulation(containers).run(containers, inputs, timedOutputs, progress);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("containers", containers);
    figures.put("queuedInputs", inputs);
    figures.put("heapBytesPerQueuedInput", report.heapBytesPerQueuedInput());
    for (Timings t : report.timings()) {
      figures.putAll(t.figures());
    }
    return figures;
  }

  /** What one run measured. */
  private record Report(List<Timings> timings, long heapBytesPerQueuedInput) {}

  private Report run(int containers, int inputs, int timedOutputs, Consumer<String> progress) {
    long heapBefore = heapAfterCollection();
    // Every input is queued before any container is ready: the queue holds them all while the pool scales.
    Timings submits = new Timings("submit", "submit of " + SUBMIT_BATCH + " inputs (dispatch + scaling)");
    for (int from = 0; from < inputs; from += SUBMIT_BATCH) {
      List<MapInput> batch = batch(from, Math.min(inputs, from + SUBMIT_BATCH));
      submits.time(() -> map.add(batch));
      progress.accept("queued " + Math.min(inputs, from + SUBMIT_BATCH) + " inputs");
    }
    // The pool, as its containers' records name it.
    pool = controlPlane.container(backend.started.getFirst().containerId(), backend.started.getFirst().token()).pool;
    long queued = pool.stats().queuedInputs();
    // What the queue holds, inputs and their records, with every container started but none serving yet.
    long heapPerInput = (heapAfterCollection() - heapBefore) / Math.max(1, queued);
    progress.accept(String.format(Locale.ROOT, "containers started: %,d; queued: %,d", backend.started.size(),
        queued));

    Timings readies = new Timings("ready", "container ready (dispatch)");
    for (ContainerSpec spec : backend.started) {
      ContainerRecord c = controlPlane.container(spec.containerId(), spec.token());
      c.attach(new SimChannel(c, unanswered));
      readies.time(() -> pool.ready(c, 1));
    }
    progress.accept("every container ready");

    Timings ticks = new Timings("tick", "tick (deadlines, timeouts, scaling)");
    Timings outputs = new Timings("output", "output (lease ends, dispatch + scaling)");
    for (int n = 0; n < timedOutputs && !unanswered.isEmpty(); n++) {
      Sent s = unanswered.poll();
      ContainerOutput output = ContainerOutput.newBuilder()
          .setInputId(s.inputId())
          .setResult(Result.newBuilder().setStatus(ResultStatus.SUCCESS).setValue(s.args()))
          .build();
      s.container().lastSeenMillis = time.millis();
      outputs.time(() -> pool.outputs(s.container(), List.of(output), 1));
      if (n % 1_000 == 999) {
        time.advanceMillis(ControlPlane.TICK_MILLIS, ticks);
        progress.accept((n + 1) + " outputs");
      }
    }
    progress.accept(String.format(Locale.ROOT, "still queued: %,d", pool.stats().queuedInputs()));
    controlPlane.close();
    return new Report(List.of(submits, readies, outputs, ticks), heapPerInput);
  }

  /** The heap in use once collections have run: an estimate, as {@link System#gc()} is a request. */
  private static long heapAfterCollection() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static List<MapInput> batch(int from, int to) {
    List<MapInput> batch = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      batch.add(MapInput.newBuilder().setIndex(i).setArgs(Payload.newBuilder().setCodec(1)
          .setData(ByteString.copyFrom(new byte[] {(byte) i, (byte) (i >> 8)}))).build());
    }
    return batch;
  }

  /** An input a container was sent and has not answered. */
  private record Sent(ContainerRecord container, String inputId, Payload args) {}

  /** What a simulated container hears: its inputs are queued for the simulation to answer, in order. */
  private record SimChannel(ContainerRecord container, ArrayDeque<Sent> unanswered) implements ContainerChannel {
    @Override
    public void send(List<InputLease> inputs) {
      for (InputLease in : inputs) {
        unanswered.add(new Sent(container, in.inputId(), in.args()));
      }
    }

    /** The simulation cancels no call, so this is never said; its inputs would still be answered in turn. */
    @Override
    public void cancel(List<String> inputIds) {}

    @Override
    public void shutdown() {}

    @Override
    public void close() {}
  }

  /** A backend whose containers are only records: starting one costs nothing and it never exits by itself. */
  private static final class SimBackend implements ContainerBackend {
    private final int capacity;
    final List<ContainerSpec> started = new ArrayList<>();

    SimBackend(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public String name() {
      return "simulated";
    }

    @Override
    public int capacity() {
      return capacity;
    }

    @Override
    public ContainerHandle start(ContainerSpec spec, ContainerExitListener onExit) {
      started.add(spec);
      return new ContainerHandle() {
        private boolean alive = true;

        @Override
        public void kill() {
          alive = false;
        }

        @Override
        public void disconnected() {}

        @Override
        public boolean isAlive() {
          return alive;
        }

        @Override
        public long pid() {
          return -1;
        }
      };
    }

    @Override
    public void close() {}
  }

  /**
   * The time of decisions of one kind, in nanoseconds: wall time, and the CPU time of the deciding thread, which a
   * machine shared with other work does not inflate.
   */
  private static final class Timings {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final String key;
    private final String what;
    private long[] nanos = new long[1024];
    private long[] cpuNanos = new long[1024];
    private int n;

    Timings(String key, String what) {
      this.key = key;
      this.what = what;
    }

    void time(Runnable decision) {
      long cpu = THREADS.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      decision.run();
      long took = System.nanoTime() - start;
      if (n == nanos.length) {
        nanos = Arrays.copyOf(nanos, n * 2);
        cpuNanos = Arrays.copyOf(cpuNanos, n * 2);
      }
      cpuNanos[n] = THREADS.getCurrentThreadCpuTime() - cpu;
      nanos[n++] = took;
    }

    void print() {
      if (n == 0) {
        System.out.printf(Locale.ROOT, "%-48s none%n", what);
        return;
      }
      print(what + ", wall", nanos);
      print(what + ", CPU", cpuNanos);
    }

    private void print(String label, long[] values) {
      long[] sorted = Arrays.copyOf(values, n);
      Arrays.sort(sorted);
      System.out.printf(Locale.ROOT, "%-58s n=%,9d  p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms%n", label, n,
          millis(sorted[n / 2]), millis(sorted[Math.min(n - 1, (int) (n * 0.99))]), millis(sorted[n - 1]));
    }

    /** p50, p99 and max of CPU and wall time, and the count, keyed {@code key.cpu.p99Ms} and the like. */
    Map<String, Object> figures() {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put(key + ".n", n);
      if (n > 0) {
        for (String kind : List.of("cpu", "wall")) {
          long[] sorted = Arrays.copyOf(kind.equals("cpu") ? cpuNanos : nanos, n);
          Arrays.sort(sorted);
          figures.put(key + "." + kind + ".p50Ms", millis(sorted[n / 2]));
          figures.put(key + "." + kind + ".p99Ms", millis(sorted[Math.min(n - 1, (int) (n * 0.99))]));
          figures.put(key + "." + kind + ".maxMs", millis(sorted[n - 1]));
        }
      }
      return figures;
    }

    private static double millis(long nanos) {
      return nanos / 1e6;
    }
  }

  /**
   * A clock that stands still and a scheduler that runs nothing until the simulation moves them: {@link
   * #advanceMillis} runs each task that falls due on the way, at its own time.
   */
  private static final class SimulatedTime extends Clock implements Scheduler {
    private long nowMillis = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    private final PriorityQueue<Due> due = new PriorityQueue<>();
    private long sequence;

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(nowMillis);
    }

    @Override
    public long millis() {
      return nowMillis;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("a simulated clock has one zone");
    }

    @Override
    public Task schedule(long delayMillis, Runnable task) {
      Due d = new Due(nowMillis + delayMillis, sequence++, 0, task);
      due.add(d);
      return d;
    }

    @Override
    public Task scheduleEvery(long periodMillis, Runnable task) {
      Due d = new Due(nowMillis + periodMillis, sequence++, periodMillis, task);
      due.add(d);
      return d;
    }

    /** Moves the time on, timing each task that runs on the way (the control plane's ticks, its retries). */
    void advanceMillis(long millis, Timings timings) {
      long until = nowMillis + millis;
      while (!due.isEmpty() && due.peek().atMillis <= until) {
        Due d = due.poll();
        nowMillis = Math.max(nowMillis, d.atMillis);
        if (d.first.cancelled) {
          continue;
        }
        if (d.periodMillis > 0) {
          Due again = new Due(nowMillis + d.periodMillis, sequence++, d.periodMillis, d.task);
          again.first = d;
          due.add(again);
        }
        timings.time(d.task);
      }
      nowMillis = until;
    }

    @Override
    public void close() {
      due.clear();
    }

    private static final class Due implements Task, Comparable<Due> {
      final long atMillis;
      final long order;
      final long periodMillis;
      final Runnable task;
      Due first = this;
      boolean cancelled;

      Due(long atMillis, long order, long periodMillis, Runnable task) {
        this.atMillis = atMillis;
        this.order = order;
        this.periodMillis = periodMillis;
        this.task = task;
      }

      @Override
      public void cancel() {
        first.cancelled = true;
      }

      @Override
      public int compareTo(Due other) {
        int byTime = Long.compare(atMillis, other.atMillis);
        return byTime != 0 ? byTime : Long.compare(order, other.order);
      }
    }
  }
}
