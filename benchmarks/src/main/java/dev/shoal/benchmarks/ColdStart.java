package dev.shoal.benchmarks;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.benchmarks.Row.Better;
import dev.shoal.benchmarks.Row.Peer;
import dev.shoal.benchmarks.Row.Target;
import dev.shoal.internal.client.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fresh container to its first result: each repetition starts a new app run, so no container is warm, times one
 * {@code remote()} call from the call to its return, and closes the run, waiting for its containers to go. The
 * median is the figure; each measurement runs in a {@link ShoalScenario} JVM. Process containers start from the
 * class-data cache that the first, untimed, one records. Beside the process container: a plain JVM launched on the
 * same classpath.
 */
final class ColdStart {
  /** Where the process backend keeps its class-data caches. */
  private static final String CACHE_DIR_PROPERTY = "shoal.classDataDir";
  private static final Duration CACHE_WAIT = Duration.ofSeconds(90);

  private ColdStart() {}

  static List<Row> rows(Sizes sizes) {
    Figure jvm = Figure.measure("plain JVM launches", () -> JvmStartPeer.launchToFirstLine(sizes));
    List<Row> rows = new ArrayList<>();
    for (Backend backend : List.of(Backend.PROCESSES, Backend.THREADS)) {
      String kind = ShoalRuns.kind(backend);
      Figure shoal = Figure.measure("Shoal cold starts, " + kind + " container",
          () -> backend == Backend.PROCESSES ? fromClasspath(sizes, System.getProperty("java.class.path"))
              : ShoalScenario.measure(ShoalScenario.Kind.COLD_START, backend, 1, sizes));
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
        String.format("fresh process container to first result, median of %d, classpath of jars only",
            sizes.coldStarts()),
        "ms", Better.LOWER, fromJars, List.of(new Peer("plain JVM start to first line", jvm)), targets()));
    return rows;
  }

  private static List<Target> targets() {
    return List.of(new Target("issue 7", 300, "≤ 300 ms"), new Target("core step 1", 1000, "≤ 1 s"));
  }

  /**
   * The process cold start again, with this classpath's directories packed into jars by the benchmark, as a
   * server's containers (which run from uploaded jars) or a packaged app's have it.
   */
  private static Figure fromJars(Sizes sizes) throws Exception {
    Path work = Files.createTempDirectory("shoal-coldstart-jars-");
    try {
      return fromClasspath(sizes, Jars.packDirectories(System.getProperty("java.class.path"), work.resolve("jars")));
    } finally {
      FileTrees.deleteTree(work);
    }
  }

  /**
   * The process cold start on {@code classpath}, with a class-data cache directory of the measurement's own, so
   * that an earlier run's cache is not reused: the scenario's untimed first container records the cache, and the
   * timed ones start from it (see {@link #coldStarts}).
   */
  private static Figure fromClasspath(Sizes sizes, String classpath) throws Exception {
    Path work = Files.createTempDirectory("shoal-coldstart-cache-");
    try {
      return ShoalScenario.measure(ShoalScenario.Kind.COLD_START, Backend.PROCESSES, 1, sizes, classpath,
          List.of("-D" + CACHE_DIR_PROPERTY + "=" + work));
    } finally {
      FileTrees.deleteTree(work);
    }
  }

  /** Runs in a {@link ShoalScenario} JVM. */
  static Figure coldStarts(Backend backend, Sizes sizes) throws InterruptedException {
    // The first run in a JVM also starts the embedded engine and loads Shoal's classes into the caller, which is
    // no container's cost: it is timed apart and left out of the figure.
    long firstInJvm = coldStart(backend, -1);
    Map<String, Object> details = new LinkedHashMap<>();
    String cacheDir = System.getProperty(CACHE_DIR_PROPERTY);
    if (cacheDir != null) {
      // The first container records the cache as it exits; the process backend assembles an AOT cache from that
      // recording in the background, which takes seconds. The timed starts measure containers that have it.
      long waited = System.nanoTime();
      details.put("untimedStartsUntilCache", 1 + awaitCache(backend, Path.of(cacheDir)));
      details.put("cacheReadyAfterFirstMs", (System.nanoTime() - waited) / 1e6);
    }
    long[] nanos = new long[sizes.coldStarts()];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = coldStart(backend, i);
    }
    Latencies latencies = new Latencies(nanos);
    details.put("repetitions", nanos.length);
    details.put("firstInJvmMs", firstInJvm / 1e6);
    details.put("spread", latencies.summary());
    return Figure.of(latencies.percentileMillis(50), details);
  }

  /**
   * Waits until {@code dir} holds a class-data cache, up to {@link #CACHE_WAIT}, and returns how many more untimed
   * starts that took. A container that records is killed when its app's stop outlasts a grace of seconds, which a
   * busy machine can make it do before its JVM has written the recording; then nothing is recording any more, and
   * another untimed start records again.
   */
  private static int awaitCache(Backend backend, Path dir) throws InterruptedException {
    long start = System.nanoTime();
    int more = 0;
    while (System.nanoTime() - start < CACHE_WAIT.toNanos()) {
      List<String> names;
      try (Stream<Path> files = Files.list(dir)) {
        names = files.map(p -> p.getFileName().toString()).toList();
      } catch (IOException e) {
        names = List.of();
      }
      if (names.stream().anyMatch(n -> (n.endsWith(".aot") || n.endsWith(".jsa")) && !n.contains(".recording"))) {
        return more;
      }
      if (names.stream().noneMatch(n -> n.contains(".recording"))) {
        coldStart(backend, -2 - more++);
      } else {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("no class-data cache in " + dir + " after " + CACHE_WAIT.toSeconds() + " s");
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
