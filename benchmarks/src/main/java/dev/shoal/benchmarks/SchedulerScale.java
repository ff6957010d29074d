package dev.shoal.benchmarks;

import dev.shoal.benchmarks.Row.Better;
import dev.shoal.benchmarks.Row.Target;
import dev.shoal.internal.controlplane.CoreSimulation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control plane's core at scale: {@link CoreSimulation} (simulated containers and clock, the real pool and
 * control plane, no gRPC or processes) in a JVM of its own with a 3 GB heap. Its rows are the CPU time of a
 * decision at the 99th percentile, which a busy machine inflates less than wall time, and the heap each queued
 * input takes.
 */
final class SchedulerScale {
  private SchedulerScale() {}

  static List<Row> rows(Sizes sizes) {
    Scale scale = Scale.of(sizes);
    Figure figure = Figure.measure("the control plane's core with " + scale.describe(), () -> simulate(scale, sizes));
    String at = scale.describe();
    Target decision = new Target("issue 20", 10, "≤ 10 ms");
    return List.of(
        new Row("scheduler.output.p99", "scheduler: an output (lease ends, dispatch + scaling) p99 CPU, " + at,
            "ms", Better.LOWER, figure.withValueOf("output.cpu.p99Ms"), List.of(), List.of(decision)),
        new Row("scheduler.tick.p99", "scheduler: a tick (deadlines, timeouts, scaling) p99 CPU, " + at,
            "ms", Better.LOWER, figure.withValueOf("tick.cpu.p99Ms"), List.of(), List.of(decision)),
        new Row("scheduler.ready.p99", "scheduler: a container ready (dispatch) p99 CPU, " + at,
            "ms", Better.LOWER, figure.withValueOf("ready.cpu.p99Ms"), List.of(), List.of(decision)),
        new Row("scheduler.submit.p50", "scheduler: a submit of 10,000 inputs (queue, dispatch + scaling) p50 CPU, "
            + at, "ms", Better.LOWER, figure.withValueOf("submit.cpu.p50Ms"), List.of(), List.of()),
        new Row("scheduler.memory", "scheduler: heap per queued input, " + at, "bytes", Better.LOWER,
            figure.withValueOf("heapBytesPerQueuedInput"), List.of(), List.of()));
  }

  private static Figure simulate(Scale scale, Sizes sizes) throws Exception {
    try (ChildJvm child = ChildJvm.start(SchedulerScale.class, List.of("-Xmx3g"),
        List.of(Integer.toString(scale.containers()), Integer.toString(scale.inputs()),
            Integer.toString(scale.outputs())), System.getProperty("java.class.path"))) {
      Map<String, Object> result =
          child.awaitResult(Duration.ofSeconds(sizes.scenarioTimeoutSeconds()), Sizes.STALL_TIMEOUT);
      @SuppressWarnings("unchecked")
      Map<String, Object> details = new LinkedHashMap<>((Map<String, Object>) result.get("details"));
      return Figure.of(((Number) details.get("output.cpu.p99Ms")).doubleValue(), details);
    }
  }

  /** The child JVM: {@code CONTAINERS INPUTS OUTPUTS}. */
  public static void main(String[] args) {
    ChildJvm.Child.exitWithParent();
    Map<String, Object> figures = CoreSimulation.measure(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
        Integer.parseInt(args[2]), ChildJvm.Child::progress);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("status", "OK");
    result.put("details", figures);
    ChildJvm.Child.report(result);
    System.exit(0);
  }

  /** How big a simulation each mode runs: the for a full run. */
  private record Scale(int containers, int inputs, int outputs) {
    static Scale of(Sizes sizes) {
      return switch (sizes.mode()) {
        case "full" -> new Scale(10_000, 1_000_000, 20_000);
        case "quick" -> new Scale(1_000, 100_000, 5_000);
        default -> new Scale(100, 20_000, 1_000);
      };
    }

    String describe() {
      return String.format(java.util.Locale.ROOT, "%,d containers, %,d queued inputs", containers, inputs);
    }
  }
}
