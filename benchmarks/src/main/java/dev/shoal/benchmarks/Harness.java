package dev.shoal.benchmarks;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs every scenario, Shoal and its peers one after another on the same inputs, prints the table and writes the
 * JSON. A scenario that fails is reported as failed; the exit code is non-zero only when the harness itself breaks.
 * Every Shoal measurement and every peer that needs a process of its own runs in a child JVM, one at a time.
 *
 * <p>Usage: {@code Harness [--quick | --tiny] [--only GROUP[,GROUP…]] [--out results/latest.json]}, where a group is
 * one of {@link #GROUPS}: {@code --only spawn} measures the durable-spawn rows alone, for work on one scenario
 * (its figures are not the full run's, which has the other scenarios' load before it). {@code benchmarks/run}
 * launches it with the real classpath, which the containers it starts need.
 */
public final class Harness {
  /** The groups of scenarios, in the order a run measures them. */
  static final List<String> GROUPS =
      List.of("map", "remote", "cold-start", "cli", "lazy-map", "spawn", "batched", "scheduler");

  private Harness() {}

  private record Options(Sizes sizes, Path out, Set<String> groups) {
    static Options parse(String[] args) {
      Sizes sizes = Sizes.FULL;
      Path out = Path.of("results", "latest.json");
      Set<String> groups = new LinkedHashSet<>(GROUPS);
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick" -> sizes = Sizes.QUICK;
          case "--tiny" -> sizes = Sizes.TINY;
          case "--out" -> out = Path.of(args[++i]);
          case "--only" -> groups = groups(args[++i]);
          default -> throw new IllegalArgumentException("unknown argument '" + args[i]
              + "'; usage: Harness [--quick | --tiny] [--only GROUP[,GROUP...]] [--out FILE]");
        }
      }
      return new Options(sizes, out, groups);
    }

    private static Set<String> groups(String list) {
      Set<String> groups = new LinkedHashSet<>(Arrays.asList(list.split(",")));
      for (String group : groups) {
        if (!GROUPS.contains(group)) {
          throw new IllegalArgumentException("unknown scenario group '" + group + "' after --only; the groups are "
              + String.join(", ", GROUPS));
        }
      }
      return groups;
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Sizes sizes = options.sizes();

    Instant date = Instant.now();
    Machine machine = Machine.current();
    System.out.println("Shoal benchmarks, " + sizes.mode() + " mode, on " + machine);
    Set<String> groups = options.groups();
    List<Row> rows = new ArrayList<>();
    // JobRunr's child JVM goes first, so that it has finished before anything of Shoal's is timed.
    Figure jobRunr = groups.contains("map") || groups.contains("spawn")
        ? Figure.measure("JobRunr throughput", () -> JobRunrPeer.throughput(sizes))
        : null;
    if (groups.contains("map")) {
      rows.addAll(MapThroughput.rows(sizes, jobRunr));
    }
    if (groups.contains("remote")) {
      rows.addAll(RoundTrip.rows(sizes));
    }
    if (groups.contains("cold-start")) {
      rows.addAll(ColdStart.rows(sizes));
    }
    if (groups.contains("cli")) {
      rows.addAll(CliStart.rows(sizes));
    }
    if (groups.contains("lazy-map")) {
      rows.addAll(LazyMapHeap.rows(sizes));
    }
    if (groups.contains("spawn")) {
      rows.addAll(DurableSpawn.rows(sizes, jobRunr));
    }
    if (groups.contains("batched")) {
      rows.addAll(BatchedThroughput.rows(sizes));
    }
    if (groups.contains("scheduler")) {
      rows.addAll(SchedulerScale.rows(sizes));
    }

    double loadAverageAtEnd = Machine.loadAverageNow();

    System.out.println();
    System.out.println(ResultsTable.render(rows, sizes.judged()));
    System.out.printf("load average %.2f at the end%n", loadAverageAtEnd);
    ResultsJson.write(options.out(), date, sizes, machine, loadAverageAtEnd, rows);
    System.out.println("wrote " + options.out().toAbsolutePath().normalize());
  }
}
