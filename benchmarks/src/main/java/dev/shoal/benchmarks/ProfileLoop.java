package dev.shoal.benchmarks;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.MapCall;
import dev.shoal.RemoteFunction;
import java.util.List;
import java.util.Locale;

/**
 * A steady load to profile, not a measurement: maps of x -> x + 1 (or {@code remote()} round trips) over warm
 * containers for a given time, printing the rate every few seconds. Run it with a profiler on this JVM (the caller
 * and the embedded control plane) and on the containers, e.g. through {@code JAVA_TOOL_OPTIONS}, which the
 * containers inherit:
 *
 * <pre>{@code
 * JAVA_TOOL_OPTIONS='-XX:StartFlightRecording=filename=/tmp/jfr/%p.jfr,settings=profile' \
 *   java -cp "$(cat benchmarks/target/runtime-classpath.txt):benchmarks/target/classes" \
 *   dev.shoal.benchmarks.ProfileLoop map 2 60
 * }</pre>
 *
 * <p>The rate is printed every 5 s, or every {@code -Dreport.seconds=S}. Arguments: {@code map CONTAINERS SECONDS}
 * or {@code remote SECONDS}; {@code threads} as a last argument uses
 * thread containers instead of processes.
 */
public final class ProfileLoop {
  private static final long REPORT_EVERY_NANOS =
      (long) (Double.parseDouble(System.getProperty("report.seconds", "5")) * 1e9);

  private ProfileLoop() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: ProfileLoop map CONTAINERS SECONDS [threads] | remote SECONDS [threads]");
    }
    Backend backend = args[args.length - 1].equals("threads") ? Backend.THREADS : Backend.PROCESSES;
    try (AppRun run = ShoalRuns.start(backend)) {
      switch (args[0]) {
        case "map" -> maps(BenchmarkApp.incrementOn(Integer.parseInt(args[1])), Long.parseLong(args[2]));
        case "remote" -> remotes(Long.parseLong(args[1]));
        default -> throw new IllegalArgumentException("unknown load '" + args[0] + "': map or remote");
      }
    }
  }

  private static void maps(RemoteFunction<Integer, Integer> increment, long seconds) {
    List<Integer> inputs = Inputs.upTo(100_000);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    Window window = new Window("input");
    while (System.nanoTime() < end) {
      Inputs.checkIncrementedSum(sum(increment.map(inputs)), inputs.size());
      window.done(inputs.size());
    }
  }

  private static long sum(MapCall<Integer> results) {
    try (results) {
      long sum = 0;
      for (Integer result : results) {
        sum += result;
      }
      return sum;
    }
  }

  private static void remotes(long seconds) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    Window window = new Window("call");
    while (System.nanoTime() < end) {
      for (int i = 0; i < 1_000; i++) {
        if (BenchmarkApp.echo.remote(i) != i) {
          throw new IllegalStateException("echo returned a different value");
        }
      }
      window.done(1_000);
    }
  }

  /**
   * The work of the current report window: once it has lasted the report interval, prints its rate and the CPU per
   * unit this JVM and its children (the containers) spent in it, and starts the next. The first window counts the
   * containers' CPU from their start.
   */
  private static final class Window {
    private final String unit;
    private long start = System.nanoTime();
    private long done;
    private long callerCpu;
    private long containersCpu;

    Window(String unit) {
      this.unit = unit;
    }

    void done(long units) {
      done += units;
      long elapsed = System.nanoTime() - start;
      if (elapsed < REPORT_EVERY_NANOS) {
        return;
      }
      long caller = cpuNanos(ProcessHandle.current());
      long containers = ProcessHandle.current().children().mapToLong(ProfileLoop::cpuNanos).sum();
      System.out.printf(Locale.ROOT, "%,.0f %ss/s; CPU µs per %s: caller %.2f, containers %.2f%n",
          done * 1e9 / elapsed, unit, unit, (caller - callerCpu) / 1e3 / done,
          (containers - containersCpu) / 1e3 / done);
      callerCpu = caller;
      containersCpu = containers;
      start = System.nanoTime();
      done = 0;
    }
  }

  private static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
  }
}
