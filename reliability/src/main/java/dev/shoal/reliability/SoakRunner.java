package dev.shoal.reliability;

import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The soak: a {@code shoal server} on its embedded PostgreSQL in a child process, and this JVM as its client
 * running a mixed load for N minutes (maps, spawns whose results are read back, batched calls from many threads,
 * volume commits from containers and reads and writes from the client), while the heap after GC, resident memory,
 * threads and file descriptors of both processes are sampled. It prints one row per sample and, at the end, the table and what the
 * load did; it exits with 1 if any operation failed or returned a wrong value. Not a test: run it with {@code
 * ./mvnw -q -pl reliability -am package exec:exec -DskipTests -Dsoak.minutes=30} (docs/RELIABILITY.md).
 */
public final class SoakRunner {
  private static final String HEADER = String.format(Locale.ROOT, "%8s %9s | %10s %9s %7s %5s | %10s %9s %7s %5s",
      "minute", "ops", "caller heap", "RSS", "threads", "fds", "server heap", "RSS", "threads", "fds");

  private final AtomicBoolean stop = new AtomicBoolean();
  private final ConcurrentHashMap<String, AtomicLong> done = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> failed = new ConcurrentHashMap<>();
  private final List<String> firstFailures = new ArrayList<>();

  private SoakRunner() {}

  public static void main(String[] args) throws Exception {
    double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    if (!(minutes > 0 && minutes <= 24 * 60)) {
      throw new IllegalArgumentException("the soak's minutes must be more than 0 and at most 1,440, was " + args[0]);
    }
    int failures = new SoakRunner().run(Duration.ofSeconds(Math.round(minutes * 60)));
    System.exit(failures == 0 ? 0 : 1);
  }

  private int run(Duration length) throws Exception {
    // A sample a minute, and at least 10 in a short run; the first is taken once the load has warmed up.
    Duration every = Duration.ofSeconds(Math.max(10, Math.min(60, length.toSeconds() / 10)));
    Path dataDir = Files.createTempDirectory("shoal-soak-");
    List<String> rows = new ArrayList<>();
    try (ServerProcess server = new ServerProcess(dataDir)) {
      server.start();
      System.out.printf("soak of %s against a server (pid %d) on PostgreSQL in %s, started %s%n", length,
          server.handle().pid(), dataDir, Instant.now());
      try (AppRun run = ChaosApp.app.run()) {
        List<Thread> load = startLoad();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        System.out.println(HEADER);
        for (long next = start + every.toNanos(); ; next += every.toNanos()) {
          Thread.sleep(Duration.ofNanos(Math.max(0, Math.min(next, end) - System.nanoTime())));
          String row = row((System.nanoTime() - start) / 60e9, ProcessSample.ofThisJvm(),
              ProcessSample.ofJvm(server.handle().pid()));
          rows.add(row);
          System.out.println(row);
          if (System.nanoTime() >= end) {
            break;
          }
        }
        stop.set(true);
        for (Thread t : load) {
          t.join();
        }
      }
    } finally {
      deleteTree(dataDir);
    }
    System.out.println();
    System.out.println(HEADER);
    rows.forEach(System.out::println);
    System.out.println("heap after a full GC, RSS in MiB; ops: operations completed so far, all kinds");
    done.forEach((kind, n) -> System.out.printf("%-8s %,d done, %,d failed%n", kind, n.get(),
        failed.getOrDefault(kind, new AtomicLong()).get()));
    synchronized (firstFailures) {
      firstFailures.forEach(f -> System.out.println("failure: " + f));
      return firstFailures.size();
    }
  }

  private String row(double minute, ProcessSample caller, ProcessSample server) {
    long ops = done.values().stream().mapToLong(AtomicLong::get).sum();
    return String.format(Locale.ROOT, "%8.1f %,9d | %10.1f %9.1f %7d %5d | %10.1f %9.1f %7d %5d", minute, ops,
        mib(caller.heapAfterGcBytes()), mib(caller.rssBytes()), caller.threads(), caller.fileDescriptors(),
        mib(server.heapAfterGcBytes()), mib(server.rssBytes()), server.threads(), server.fileDescriptors());
  }

  private static double mib(long bytes) {
    return bytes / 1048576.0;
  }

  private List<Thread> startLoad() {
    List<Thread> threads = new ArrayList<>();
    threads.add(loop("map", i -> {
      List<Long> squares = ChaosApp.square.map(IntStream.range(0, 500).boxed().toList()).toList();
      check(squares.size() == 500 && squares.get(499) == 499L * 499, "a map returned the wrong results");
    }));
    threads.add(loop("spawn", i -> {
      List<FunctionCall<Long>> calls = new ArrayList<>();
      for (int n = 0; n < 20; n++) {
        calls.add(ChaosApp.square.spawn(n));
      }
      for (int n = 0; n < calls.size(); n++) {
        long result = calls.get(n).get(Duration.ofMinutes(5));
        check(result == (long) n * n, "spawn " + calls.get(n).id() + " returned " + result + ", not " + n * n);
      }
    }));
    for (int t = 0; t < 8; t++) {
      threads.add(loop("batched", i -> check(ChaosApp.batchedIncrement.remote((int) i) == i + 1,
          "a batched call returned the wrong result")));
    }
    threads.add(loop("volume", i -> {
      // A bounded set of names, so that the volume stays the same size however long the soak runs.
      String name = "file-" + (i % 50);
      check(ChaosApp.writeFile.remote(name) == name.length(), "a container wrote the wrong size");
      ChaosApp.volume.write("client/" + name, name.getBytes(StandardCharsets.UTF_8));
      check(new String(ChaosApp.volume.read("client/" + name), StandardCharsets.UTF_8).equals(name),
          "the client read back something else than it wrote");
      if (i % 10 == 0) {
        check(ChaosApp.listFiles.remote(0).contains(name), "a container did not see a committed file");
      }
    }));
    return threads;
  }

  /** A platform thread that does one kind of operation until the soak ends, counting what it did and failed. */
  private Thread loop(String kind, Operation operation) {
    return Thread.ofPlatform().name("soak-" + kind).start(() -> {
      for (long i = 0; !stop.get(); i++) {
        try {
          operation.run(i);
          done.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        } catch (Exception | AssertionError e) {
          failed.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
          synchronized (firstFailures) {
            if (firstFailures.size() < 20) {
              firstFailures.add(kind + ": " + e);
            }
          }
        }
      }
    });
  }

  private static void check(boolean condition, String otherwise) {
    if (!condition) {
      throw new AssertionError(otherwise);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One operation of the load; its index lets it vary what it does. */
  @FunctionalInterface
  private interface Operation {
    void run(long index) throws Exception;
  }
}
