package dev.shoal.benchmarks;

import dev.shoal.AppRun;
import dev.shoal.internal.client.FileTrees;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A profile of durable spawns, not a measurement of the benchmark's row: the {@link DurableSpawn} load (256
 * callers, then every result collected) through a {@code shoal server} on a PostgreSQL started here with the
 * server's settings (synchronous commit and fsync on) plus {@code pg_stat_statements}, printing per round what a spawn costs
 * independently of the machine's load: the transactions committed, statements run and WAL writes and flushes per
 * spawn, and the CPU per spawn of this JVM (callers and control plane, by thread), of the containers and of
 * PostgreSQL.
 *
 * <pre>{@code
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt)" \
 *   dev.shoal.benchmarks.SpawnProfile [ROUNDS [SPAWNS]]
 * }</pre>
 */
public final class SpawnProfile {
  private static final String TOKEN = "profile-token";

  private SpawnProfile() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int spawns = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    Path dir = Files.createTempDirectory("shoal-spawn-profile");
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
            .setDataDirectory(dir.resolve("postgres"))
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("fsync", "on")
            .setServerConfig("shared_preload_libraries", "pg_stat_statements")
            .setServerConfig("pg_stat_statements.track", "all")
            .start();
        Connection stats = postgres.getPostgresDatabase().getConnection()) {
      try (Statement s = stats.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      }
      long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("postgres/postmaster.pid")).getFirst().strip());
      String url = postgres.getJdbcUrl("postgres", "postgres");
      ServerOptions options = ServerOptions.defaults(dir.resolve("server")).withPort(0).withToken(TOKEN)
          .withDatabaseUrl(url);
      try (ShoalServer server = ShoalServer.start(options)) {
        System.setProperty("shoal.server", server.address());
        System.setProperty("shoal.token", TOKEN);
        try (AppRun run = BenchmarkApp.app.run()) {
          BenchmarkApp.spawned.spawn(-1).get(Duration.ofSeconds(120));
          for (int round = 0; round < 2; round++) {
            DurableSpawn.collect(DurableSpawn.spawnAll(spawns / 2, 0), 0);
          }
          for (int round = 1; round <= rounds; round++) {
            profileRound(round, spawns, stats, postmaster);
          }
        }
      }
    } finally {
      FileTrees.deleteTree(dir);
    }
    System.exit(0);
  }

  private static void profileRound(int round, int n, Connection stats, long postmaster) throws Exception {
    try (Statement s = stats.createStatement()) {
      // Only the statements are reset: the WAL counters reach pg_stat_wal asynchronously, so a reset here would
      // land after some of the round's own counts (negative differences were seen); they are differenced instead.
      s.execute("SELECT pg_stat_statements_reset()");
    }
    Map<String, Long> before = counters(stats);
    Map<String, Long> threadsBefore = threadCpu();
    Cpu cpuBefore = Cpu.now(postmaster);
    long start = System.nanoTime();
    var calls = DurableSpawn.spawnAll(n, 1_000_000);
    long accepted = System.nanoTime();
    Cpu cpuAccepted = Cpu.now(postmaster);
    Map<String, Long> atAccepted = counters(stats);
    DurableSpawn.collect(calls, 1_000_000);
    long completed = System.nanoTime();
    Cpu cpuAfter = Cpu.now(postmaster);
    Map<String, Long> after = counters(stats);
    Map<String, Long> threadsAfter = threadCpu();
    double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    System.out.printf(Locale.ROOT, "round %d: %,d spawns; accepted %,.0f/s, completed %,.0f/s; load %.1f%n", round,
        n, n / ((accepted - start) / 1e9), n / ((completed - start) / 1e9), loadAverage);
    System.out.printf(Locale.ROOT, "  accepting: %s; %s%n", perSpawn(before, atAccepted, n),
        cpuAccepted.minus(cpuBefore).perSpawn(n));
    System.out.printf(Locale.ROOT, "  whole round: %s; %s%n", perSpawn(before, after, n),
        cpuAfter.minus(cpuBefore).perSpawn(n));
    StringBuilder byThread = new StringBuilder("  JVM threads, CPU µs per spawn:");
    threadsAfter.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > n * 1_000L)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> byThread.append(String.format(Locale.ROOT, " %s %.1f;", e.getKey(), e.getValue() / 1e3 / n)));
    System.out.println(byThread);
    try (Statement s = stats.createStatement();
        ResultSet rows = s.executeQuery("""
            SELECT calls, rows, round(total_exec_time::numeric, 1) AS ms, left(regexp_replace(query, '\\s+', ' ',
                   'g'), 110) AS q
              FROM pg_stat_statements ORDER BY calls DESC LIMIT 8""")) {
      while (rows.next()) {
        System.out.printf(Locale.ROOT, "    %8d calls %9d rows %9s ms  %s%n", rows.getLong("calls"),
            rows.getLong("rows"), rows.getString("ms"), rows.getString("q"));
      }
    }
  }

  /**
   * CPU nanoseconds of this JVM's live threads, the JVM's own (compilers, collectors) too, summed by the name Linux
   * keeps for each (its first 15 characters) with the digits taken out.
   */
  private static Map<String, Long> threadCpu() throws IOException {
    Map<String, Long> byName = new LinkedHashMap<>();
    long ticks = 10_000_000L; // USER_HZ is 100 on Linux: a tick is 10 ms
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * ticks;
        byName.merge(name.replaceAll("[0-9]+", "#"), cpu, Long::sum);
      }
    }
    return byName;
  }

  private static String perSpawn(Map<String, Long> before, Map<String, Long> after, int n) {
    StringBuilder text = new StringBuilder();
    for (String key : after.keySet()) {
      if (!text.isEmpty()) {
        text.append(", ");
      }
      text.append(String.format(Locale.ROOT, "%s %.4f", key, (after.get(key) - before.get(key)) / (double) n));
    }
    return text + " per spawn";
  }

  /** Counters of the database, less this profile's own queries (about ten a round). */
  private static Map<String, Long> counters(Connection stats) throws SQLException {
    Map<String, Long> counters = new LinkedHashMap<>();
    try (Statement s = stats.createStatement();
        ResultSet row = s.executeQuery("""
            SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres') AS commits,
                   (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements) AS statements,
                   (SELECT wal_sync FROM pg_stat_wal) AS wal_syncs,
                   (SELECT wal_write FROM pg_stat_wal) AS wal_writes""")) {
      row.next();
      for (String column : List.of("commits", "statements", "wal_syncs", "wal_writes")) {
        counters.put(column, row.getLong(column));
      }
    }
    return counters;
  }

  /** CPU nanoseconds so far of this JVM, of its child processes (the containers), of PostgreSQL's processes. */
  private record Cpu(long jvm, long writer, long containers, long postgres) {
    static Cpu now(long postmaster) throws IOException {
      long jvm = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
      long containers = ProcessHandle.current().children()
          .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
      long postgres = ProcessHandle.of(postmaster).stream()
          .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.children()))
          .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
      return new Cpu(jvm, writerCpu(), containers, postgres);
    }

    private static long writerCpu() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      return Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("shoal-durable-writer"))
          .mapToLong(t -> threads.getThreadCpuTime(t.threadId())).filter(c -> c > 0).sum();
    }

    Cpu minus(Cpu other) {
      return new Cpu(jvm - other.jvm, writer - other.writer, containers - other.containers,
          postgres - other.postgres);
    }

    String perSpawn(int n) {
      return String.format(Locale.ROOT, "CPU µs per spawn: JVM %.1f (writer threads %.1f), containers %.1f,"
          + " PostgreSQL %.1f", jvm / 1e3 / n, writer / 1e3 / n, containers / 1e3 / n, postgres / 1e3 / n);
    }
  }
}
