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
 * <p>The rate is printed every 5 s, or every {@code -Dreport.seconds=S}. Arguments: {@code map CONTAINERS SECONDS} or {@code remote SECONDS}; {@code threads} as a last argument uses
 * thread containers instead of processes.
 */
public final class ProfileLoop {
  private static final long REPORT_EVERY_NANOS =
      (long) (Double.parseDouble(System.getProperty("report.seconds", "5")) * 1e9);

  private ProfileLoop() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: ProfileLoop map CONTAINERS SECONDS [threads] | remote SECONDS [threads]");
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
    long windowStart = System.nanoTime();
    long windowInputs = 0;
    while (System.nanoTime() < end) {
      Inputs.checkIncrementedSum(sum(increment.map(inputs)), inputs.size());
      windowInputs += inputs.size();
      windowStart = report(windowStart, windowInputs, "inputs");
      if (windowStart == 0) {
        windowStart = System.nanoTime();
        windowInputs = 0;
      }
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
    long windowStart = System.nanoTime();
    long windowCalls = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 1_000; i++) {
        if (BenchmarkApp.echo.remote(i) != i) {
          throw new IllegalStateException("echo returned a different value");
        }
      }
      windowCalls += 1_000;
      windowStart = report(windowStart, windowCalls, "calls");
      if (windowStart == 0) {
        windowStart = System.nanoTime();
        windowCalls = 0;
      }
    }
  }

  /** Prints the window's rate and returns 0 once a window is over, else the window's start unchanged. */
  private static long report(long windowStart, long done, String what) {
    long elapsed = System.nanoTime() - windowStart;
    if (elapsed < REPORT_EVERY_NANOS) {
      return windowStart;
    }
    long callerCpu = cpuNanos(ProcessHandle.current());
    long containersCpu = ProcessHandle.current().children().mapToLong(ProfileLoop::cpuNanos).sum();
    System.out.printf(Locale.ROOT, "%,.0f %s/s; CPU µs per %s: caller %.2f, containers %.2f%n",
        done * 1e9 / elapsed, what, what.substring(0, what.length() - 1),
        (callerCpu - lastCallerCpu) / 1e3 / done, (containersCpu - lastContainersCpu) / 1e3 / done);
    lastCallerCpu = callerCpu;
    lastContainersCpu = containersCpu;
    return 0;
  }

  /** CPU time at the last report; the first window's containers are counted from their start. */
  private static long lastCallerCpu;
  private static long lastContainersCpu;

  private static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
  }
}
