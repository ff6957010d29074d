package dev.shoal.benchmarks;

import dev.shoal.AppRun;
import dev.shoal.Backend;
import dev.shoal.FunctionCall;
import dev.shoal.benchmarks.Row.Better;
import dev.shoal.benchmarks.Row.Peer;
import dev.shoal.benchmarks.Row.Target;
import dev.shoal.internal.client.FileTrees;
import dev.shoal.internal.server.ServerOptions;
import dev.shoal.internal.server.ShoalServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Durable {@code spawn} throughput: many callers spawn a trivial function as fast as they can, then collect every
 * result, after two untimed rounds of half as many. "Accepted" counts spawns acknowledged (each stored before it
 * returns); "completed" counts from the first spawn to the last result in hand. Once on the embedded engine's
 * in-memory store, and once through a {@code shoal server} with its embedded PostgreSQL (synchronous commit on),
 * started in the measuring JVM. Beside them: JobRunr enqueueing and running the same number of jobs, in memory
 * and on PostgreSQL.
 */
final class DurableSpawn {
  /** Callers spawning at once; each is a virtual thread making one blocking spawn after another. */
  static final int CALLERS = 256;
  /** Untimed rounds of half as many spawns as the timed one, each collected, before the timed one. */
  private static final int WARM_ROUNDS = 2;
  private static final String TOKEN = "benchmark-token";

  enum Store { MEMORY, POSTGRES }

  private DurableSpawn() {}

  static List<Row> rows(Sizes sizes, Figure jobRunrMemory) {
    Figure jobRunrPostgres = Figure.measure("JobRunr throughput on PostgreSQL",
        () -> JobRunrPeer.throughputOnPostgres(sizes));
    List<Row> rows = new ArrayList<>();
    for (Store store : Store.values()) {
      String where = store == Store.MEMORY ? "in-memory store (embedded engine)" : "PostgreSQL (shoal server)";
      Figure shoal = Figure.measure("Shoal durable spawn, " + where, () -> ShoalScenario.measure(
          store == Store.MEMORY ? ShoalScenario.Kind.SPAWN_MEMORY : ShoalScenario.Kind.SPAWN_POSTGRES,
          Backend.PROCESSES, 2, sizes));
      Peer jobRunr = store == Store.MEMORY
          ? new Peer("JobRunr, in-memory", jobRunrMemory)
          : new Peer("JobRunr, PostgreSQL", jobRunrPostgres);
      String id = "spawn." + (store == Store.MEMORY ? "memory" : "postgres");
      List<Target> targets = store == Store.POSTGRES
          ? List.of(new Target("issue 4", 5_000, "≥ 5,000/s"), new Target("issue 7", 20_000, "≥ 20,000/s"))
          : List.of();
      rows.add(new Row(id + ".accepted",
          String.format("durable spawn accepted, %,d spawns by %d callers, %s", sizes.spawns(), CALLERS, where),
          "spawns/s", Better.HIGHER, shoal.withValueOf("acceptedPerSecond"), List.of(jobRunr), targets));
      rows.add(new Row(id + ".completed",
          String.format("durable spawn completed, %,d spawns, results collected, %s", sizes.spawns(), where),
          "spawns/s", Better.HIGHER, shoal.withValueOf("completedPerSecond"), List.of(jobRunr), targets));
    }
    return rows;
  }

  /** Runs in a {@link ShoalScenario} JVM. */
  static Figure shoalSpawns(Store store, Sizes sizes) throws Exception {
    if (store == Store.MEMORY) {
      try (AppRun run = ShoalRuns.start(Backend.PROCESSES)) {
        return measure(sizes, "memory");
      } finally {
        ShoalRuns.awaitNoContainers();
      }
    }
    Path dataDir = Files.createTempDirectory("shoal-spawn-benchmark");
    try (ShoalServer server = ShoalServer.start(ServerOptions.defaults(dataDir).withPort(0).withToken(TOKEN))) {
      System.setProperty("shoal.server", server.address());
      System.setProperty("shoal.token", TOKEN);
      try (AppRun run = BenchmarkApp.app.run()) {
        return measure(sizes, "postgres");
      }
    } finally {
      FileTrees.deleteTree(dataDir);
    }
  }

  private static Figure measure(Sizes sizes, String store) throws Exception {
    ChildJvm.Child.progress("warming up");
    BenchmarkApp.spawned.spawn(-1).get(Duration.ofSeconds(120)); // starts a container
    // Warm until the JIT has compiled the spawn and collect paths on every side: in a cold JVM the first tens of
    // thousands of spawns run several times slower than later ones.
    for (int round = 0; round < WARM_ROUNDS; round++) {
      spawnAndCollect(Math.max(CALLERS, sizes.spawns() / 2), 0);
    }

    int n = sizes.spawns();
    long start = System.nanoTime();
    List<FunctionCall<Integer>> calls = spawnAll(n, 1_000_000);
    long accepted = System.nanoTime();
    collect(calls, 1_000_000);
    long completed = System.nanoTime();

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("store", store);
    details.put("spawns", n);
    details.put("callers", CALLERS);
    details.put("acceptedPerSecond", n / ((accepted - start) / 1e9));
    details.put("completedPerSecond", n / ((completed - start) / 1e9));
    details.put("acceptSeconds", (accepted - start) / 1e9);
    details.put("completeSeconds", (completed - start) / 1e9);
    return Figure.of(n / ((accepted - start) / 1e9), details);
  }

  private static void spawnAndCollect(int n, int firstInput) throws Exception {
    collect(spawnAll(n, firstInput), firstInput);
  }

  /** Spawns inputs {@code first .. first + n - 1} from {@link #CALLERS} callers; the calls in input order. */
  static List<FunctionCall<Integer>> spawnAll(int n, int first) throws Exception {
    AtomicReferenceArray<FunctionCall<Integer>> calls = new AtomicReferenceArray<>(n);
    AtomicInteger next = new AtomicInteger();
    inParallel(() -> {
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
        calls.set(i, BenchmarkApp.spawned.spawn(first + i));
        if (i % 1_000 == 0) {
          ChildJvm.Child.progress(i + " spawned");
        }
      }
    });
    List<FunctionCall<Integer>> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(calls.get(i));
    }
    return list;
  }

  /** Gets every call's result, checking each, from {@link #CALLERS} callers. */
  static void collect(List<FunctionCall<Integer>> calls, int first) throws Exception {
    AtomicInteger next = new AtomicInteger();
    inParallel(() -> {
      for (int i = next.getAndIncrement(); i < calls.size(); i = next.getAndIncrement()) {
        int result = calls.get(i).get(Duration.ofSeconds(120));
        if (result != first + i + 1) {
          throw new IllegalStateException("call " + calls.get(i).id() + " returned " + result + " for "
              + (first + i));
        }
        if (i % 1_000 == 0) {
          ChildJvm.Child.progress(i + " collected");
        }
      }
    });
  }

  private static void inParallel(Runnable caller) throws Exception {
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CALLERS; c++) {
        running.add(callers.submit(caller));
      }
      for (Future<?> f : running) {
        f.get();
      }
    }
  }

}
