package dev.shoal.benchmarks;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.benchmarks.Row.Better;
import dev.shoal.benchmarks.Row.Target;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The caller's heap during a map over a lazy stream of many inputs, in a child JVM held to a small {@code -Xmx}.
 * The embedded control plane lives in the caller's JVM, so the figure is the caller's and the control plane's
 * together. A map that does not complete (the child runs out of heap, or of time) is a failed figure, whose details
 * say how far it got and the peak heap until then.
 */
final class LazyMapHeap {
  private static final double MB = 1024.0 * 1024.0;
  private static final int PROGRESS_EVERY = 10_000;

  private LazyMapHeap() {}

  static List<Row> rows(Sizes sizes) {
    Figure large = Figure.measure("Shoal lazy map heap, " + sizes.lazyMapInputs() + " inputs",
        () -> inChildJvm(sizes.lazyMapInputs(), sizes.lazyMapHeapMb(), sizes.lazyMapTimeoutSeconds()));
    Figure small = Figure.measure("Shoal lazy map heap, " + sizes.smallLazyMapInputs() + " inputs",
        () -> inChildJvm(sizes.smallLazyMapInputs(), sizes.smallLazyMapHeapMb(), sizes.scenarioTimeoutSeconds()));
    return List.of(
        row("lazymap.heap.large", sizes.lazyMapInputs(), sizes.lazyMapHeapMb(), large,
            new Target("issue 7", sizes.lazyMapHeapMb(), "completes, ≤ " + sizes.lazyMapHeapMb() + " MB")),
        row("lazymap.heap.small", sizes.smallLazyMapInputs(), sizes.smallLazyMapHeapMb(), small,
            new Target("core step 1", sizes.smallLazyMapHeapMb(), "completes at -Xmx" + sizes.smallLazyMapHeapMb()
                + "m")));
  }

  private static Row row(String id, int inputs, int heapMb, Figure figure, Target target) {
    return new Row(id, String.format("caller + control-plane heap, lazy map of %,d inputs, 2 process containers, "
        + "-Xmx%dm: peak after GC", inputs, heapMb), "MB", Better.LOWER, figure, List.of(), List.of(target));
  }

  private static Figure inChildJvm(int inputs, int heapMb, int timeoutSeconds) throws Exception {
    List<String> flags = List.of("-Xmx" + heapMb + "m", "-XX:+ExitOnOutOfMemoryError");
    try (ChildJvm child = ChildJvm.start(LazyMapHeap.class, flags, List.of(Integer.toString(inputs)))) {
      Map<String, Object> result;
      try {
        result = child.awaitResult(Duration.ofSeconds(timeoutSeconds), Sizes.STALL_TIMEOUT);
      } catch (IllegalStateException e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("completed", false);
        details.put("lastProgress", child.lastProgress());
        return Figure.failed("did not complete (got to " + child.lastProgress() + "): " + e.getMessage(), details);
      }
      Map<String, Object> details = new LinkedHashMap<>(result);
      details.put("completed", true);
      details.put("output", child.chatter());
      return Figure.of(((Number) result.get("peakAfterGcMb")).doubleValue(), details);
    }
  }

  /** The child JVM: maps {@code inputs} lazily over two process containers and reports its heap. */
  public static void main(String[] args) throws Exception {
    ChildJvm.Child.exitWithParent();
    int inputs = Integer.parseInt(args[0]);
    Map<String, Object> result = new LinkedHashMap<>();
    try (HeapSampler heap = new HeapSampler(); AppRun run = ShoalRuns.start(Backend.PROCESSES)) {
      long start = System.nanoTime();
      long sum = 0;
      long taken = 0;
      for (Integer x : BenchmarkApp.incrementOn2.map(IntStream.range(0, inputs).boxed())) {
        sum += x;
        if (++taken % PROGRESS_EVERY == 0) {
          ChildJvm.Child.progress(String.format("%d inputs in %.0f s, peak heap after GC %.1f MB", taken,
              (System.nanoTime() - start) / 1e9, heap.peakAfterGcBytes() / MB));
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Inputs.checkIncrementedSum(sum, inputs);
      result.put("peakAfterGcMb", heap.peakAfterGcBytes() / MB);
      result.put("peakSampledMb", heap.peakSampledBytes() / MB);
      result.put("maxHeapMb", Runtime.getRuntime().maxMemory() / MB);
      result.put("collections", heap.collections());
      result.put("collectors", ManagementFactory.getGarbageCollectorMXBeans().stream().map(c -> c.getName()).toList());
      result.put("inputs", inputs);
      result.put("seconds", seconds);
      result.put("inputsPerSecond", inputs / seconds);
    }
    ChildJvm.Child.report(result);
    System.exit(0);
  }
}
