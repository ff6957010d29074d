package dev.shoal.benchmarks;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every scenario, Shoal and its peers one after another on the same inputs, prints the table and writes the
 * JSON. A scenario that fails is reported as failed; the exit code is non-zero only when the harness itself breaks.
 * Every Shoal measurement and every peer that needs a process of its own runs in a child JVM, one at a time.
 *
 * <p>Usage: {@code Harness [--quick | --tiny] [--out results/latest.json]}. {@code benchmarks/run} launches it with
 * the real classpath, which the containers it starts need.
 */
public final class Harness {
  private Harness() {}

  private record Options(Sizes sizes, Path out) {
    static Options parse(String[] args) {
      Sizes sizes = Sizes.FULL;
      Path out = Path.of("results", "latest.json");
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick" -> sizes = Sizes.QUICK;
          case "--tiny" -> sizes = Sizes.TINY;
          case "--out" -> out = Path.of(args[++i]);
          default -> throw new IllegalArgumentException("unknown argument '" + args[i]
              + "'; usage: Harness [--quick | --tiny] [--out FILE]");
        }
      }
      return new Options(sizes, out);
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Sizes sizes = options.sizes();

    Instant date = Instant.now();
    Machine machine = Machine.current();
    System.out.println("Shoal benchmarks, " + sizes.mode() + " mode, on " + machine);
    List<Row> rows = new ArrayList<>();
    // JobRunr's child JVM goes first, so that it has finished before anything of Shoal's is timed.
    Figure jobRunr = Figure.measure("JobRunr throughput", () -> JobRunrPeer.throughput(sizes));
    rows.addAll(MapThroughput.rows(sizes, jobRunr));
    rows.addAll(RoundTrip.rows(sizes));
    rows.addAll(ColdStart.rows(sizes));
    rows.addAll(CliStart.rows(sizes));
    rows.addAll(LazyMapHeap.rows(sizes));
    rows.addAll(DurableSpawn.rows(sizes, jobRunr));
    rows.addAll(BatchedThroughput.rows(sizes));
    rows.addAll(SchedulerScale.rows(sizes));

    double loadAverageAtEnd = Machine.loadAverageNow();

    System.out.println();
    System.out.println(ResultsTable.render(rows, sizes.judged()));
    System.out.printf("load average %.2f at the end%n", loadAverageAtEnd);
    ResultsJson.write(options.out(), date, sizes, machine, loadAverageAtEnd, rows);
    System.out.println("wrote " + options.out().toAbsolutePath().normalize());
  }
}
