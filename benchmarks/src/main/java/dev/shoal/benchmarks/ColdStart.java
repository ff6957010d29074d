package dev.shoal.benchmarks;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.benchmarks.Row.Better;
import dev.shoal.benchmarks.Row.Peer;
import dev.shoal.benchmarks.Row.Target;
import dev.shoal.internal.client.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fresh container to its first result: each repetition starts a new app run, so no container is warm, times one
 * {@code remote()} call from the call to its return, and closes the run, waiting for its containers to go. The
 * median is the figure; each measurement runs in a {@link ShoalScenario} JVM. Beside the process container: a plain
 * JVM launched on the same classpath.
 */
final class ColdStart {
  private ColdStart() {}

  static List<Row> rows(Sizes sizes) {
    Figure jvm = Figure.measure("plain JVM launches", () -> JvmStartPeer.launchToFirstLine(sizes));
    List<Row> rows = new ArrayList<>();
    for (Backend backend : List.of(Backend.PROCESSES, Backend.THREADS)) {
      String kind = ShoalRuns.kind(backend);
      Figure shoal = Figure.measure("Shoal cold starts, " + kind + " container",
          () -> ShoalScenario.measure(ShoalScenario.Kind.COLD_START, backend, 1, sizes));
      boolean processes = backend == Backend.PROCESSES;
      rows.add(new Row("coldstart." + backend.name().toLowerCase(Locale.ROOT),
          String.format("fresh %s container to first result, median of %d", kind, sizes.coldStarts()),
          "ms", Better.LOWER, shoal,
          processes ? List.of(new Peer("plain JVM start to first line", jvm)) : List.of(),
          processes ? targets() : List.of()));
    }
    Figure fromJars = Figure.measure("Shoal cold starts, process container, classpath of jars",
        () -> fromJars(sizes));
    rows.add(new Row("coldstart.processes.jars",
        String.format("fresh process container to first result, median of %d, classpath of jars only "
            + "(class-data archive)", sizes.coldStarts()),
        "ms", Better.LOWER, fromJars, List.of(new Peer("plain JVM start to first line", jvm)), targets()));
    return rows;
  }

  private static List<Target> targets() {
    return List.of(new Target("issue 7", 300, "≤ 300 ms"), new Target("core step 1", 1000, "≤ 1 s"));
  }

  /**
   * The process cold start again, with this classpath's directories packed into jars, as a server's containers
   * (which run from uploaded jars) or a packaged app's have it: such a classpath gets a class-data archive, which
   * the first container records as it exits (that start is the scenario's untimed first) and later ones map.
   * The archives go to a directory of the measurement's own, so an earlier run's archive is not reused.
   */
  private static Figure fromJars(Sizes sizes) throws Exception {
    Path work = Files.createTempDirectory("shoal-coldstart-jars-");
    try {
      String classpath = Jars.packDirectories(System.getProperty("java.class.path"), work.resolve("jars"));
      return ShoalScenario.measure(ShoalScenario.Kind.COLD_START, Backend.PROCESSES, 1, sizes, classpath,
          List.of("-Dshoal.classDataDir=" + work.resolve("class-data")));
    } finally {
      FileTrees.deleteTree(work);
    }
  }

  /** Runs in a {@link ShoalScenario} JVM. */
  static Figure coldStarts(Backend backend, Sizes sizes) throws InterruptedException {
    // The first run in a JVM also starts the embedded engine and loads Shoal's classes into the caller, which is
    // no container's cost: it is timed apart and left out of the figure.
    long firstInJvm = coldStart(backend, -1);
    long[] nanos = new long[sizes.coldStarts()];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = coldStart(backend, i);
    }
    Latencies latencies = new Latencies(nanos);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("repetitions", nanos.length);
    details.put("firstInJvmMs", firstInJvm / 1e6);
    details.put("spread", latencies.summary());
    return Figure.of(latencies.percentileMillis(50), details);
  }

  /** Nanoseconds from {@code remote()} to its return, in a new run, which is closed and its containers gone. */
  private static long coldStart(Backend backend, int x) throws InterruptedException {
    ChildJvm.Child.progress("cold start " + x);
    try (AppRun run = ShoalRuns.start(backend)) {
      long start = System.nanoTime();
      Integer result = BenchmarkApp.echo.remote(x);
      long nanos = System.nanoTime() - start;
      if (result != x) {
        throw new IllegalStateException("echo returned " + result + " for " + x);
      }
      return nanos;
    } finally {
      ShoalRuns.awaitNoContainers();
    }
  }
}
