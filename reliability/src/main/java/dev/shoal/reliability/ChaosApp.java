package dev.shoal.reliability;

import dev.shoal.App;
import dev.shoal.Batching;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Shoal;
import dev.shoal.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The app the chaos suite and the soak run. Its containers note, as they load it, that they did, so that a test
 * can tell a container that is still starting from one that has loaded the app; its functions leave files where a
 * test counts how often, and under which call, each input ran.
 */
public final class ChaosApp {
  /**
   * Where each container leaves a file named after its pid once it has loaded this class. Containers run in the
   * caller's working directory, so the relative path names the same directory in both.
   */
  public static final Path LOADED = Path.of("target", "chaos", "loaded");

  static {
    if (System.getenv("SHOAL_CONTAINER_ID") != null) {
      try {
        Files.createDirectories(LOADED);
        Files.writeString(LOADED.resolve(Long.toString(ProcessHandle.current().pid())), "");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static final App app = App.named("chaos-app");

  /** The volume the soak's writers and readers share. */
  public static final Volume volume = Volume.fromName("chaos-soak", true);

  /**
   * Squares its argument after a short pause, so that a container holds inputs when it is killed. Four containers
   * of four inputs each: enough that kills always find some, few enough for a 2-core machine.
   */
  public static final RemoteFunction<Integer, Long> square = app.function("square", x -> {
    Thread.sleep(10);
    return (long) x * x;
  }, FunctionOptions.builder().maxContainers(4).concurrency(4).build());

  /**
   * Takes {@code "DIR|N"}: leaves a file in DIR named after N, this run's call and a random part (one per run), and
   * returns 2 × N.
   */
  public static final RemoteFunction<String, Integer> mark = app.function("mark", spec -> {
    int bar = spec.indexOf('|');
    int n = Integer.parseInt(spec.substring(bar + 1));
    Files.writeString(Path.of(spec.substring(0, bar))
        .resolve(n + "_" + Shoal.context().functionCallId() + "_" + UUID.randomUUID()), "");
    Thread.sleep(10);
    return 2 * n;
  }, FunctionOptions.builder().maxContainers(2).concurrency(8).build());

  /**
   * Takes {@code "DIR|N"}: leaves {@code N_PID_start} in DIR as it begins and {@code N_PID_end} as it ends, and
   * returns N × N; so that a test can tell which inputs a container held when it stopped.
   */
  public static final RemoteFunction<String, Long> traced = app.function("traced", spec -> {
    int bar = spec.indexOf('|');
    Path dir = Path.of(spec.substring(0, bar));
    long n = Long.parseLong(spec.substring(bar + 1));
    String stem = n + "_" + ProcessHandle.current().pid() + "_";
    Files.writeString(dir.resolve(stem + "start"), "");
    Thread.sleep(100);
    Files.writeString(dir.resolve(stem + "end"), "");
    return n * n;
  }, FunctionOptions.builder().maxContainers(3).concurrency(4).build());

  /** {@code n} bytes of {@link #pattern}: a small argument and a large result. */
  public static final RemoteFunction<Integer, byte[]> make = app.function("make", ChaosApp::pattern);

  /**
   * Takes {@code "DIR|N"}: leaves a file in DIR for this run, then returns N bytes of {@link #pattern}; the side
   * channel counts how often a result over the limit was made.
   */
  public static final RemoteFunction<String, byte[]> makeCounted = app.function("makeCounted", spec -> {
    int bar = spec.indexOf('|');
    Files.writeString(Path.of(spec.substring(0, bar)).resolve("run-" + UUID.randomUUID()), "");
    return pattern(Integer.parseInt(spec.substring(bar + 1)));
  });

  /** A weighted sum of the argument's bytes, so that a caller can check that a large argument arrived whole. */
  public static final RemoteFunction<byte[], Long> sum = app.function("sum", ChaosApp::sumOf);

  /** Adds one to each input, in batches: one execution for many callers. */
  public static final RemoteFunction<Integer, Integer> batchedIncrement = app.batched("batchedIncrement",
      xs -> xs.stream().map(x -> x + 1).toList(), Batching.of(32, Duration.ofMillis(50)),
      FunctionOptions.builder().maxContainers(1).build());

  /** Writes {@code "NAME"} into the volume with its own name as content, commits, and returns the bytes written. */
  public static final RemoteFunction<String, Integer> writeFile = app.function("writeFile", name -> {
    Path file = volume.path().resolve("soak").resolve(name);
    Files.createDirectories(file.getParent());
    byte[] content = name.getBytes(StandardCharsets.UTF_8);
    Files.write(file, content);
    volume.commit();
    return content.length;
  }, FunctionOptions.builder().volume(volume).maxContainers(1).build());

  /** Every name in the soak's directory of the volume, after a reload. */
  public static final RemoteFunction<Integer, List<String>> listFiles = app.function("listFiles", ignored -> {
    volume.reload();
    Path dir = volume.path().resolve("soak");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }, FunctionOptions.builder().volume(volume).maxContainers(1).build());

  private ChaosApp() {}

  /** Bytes that differ from position to position, so that a chunk out of place would show. */
  public static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + (i >>> 10));
    }
    return b;
  }

  public static long sumOf(byte[] bytes) {
    long sum = 0;
    for (int i = 0; i < bytes.length; i++) {
      sum += (bytes[i] & 0xFF) * (long) (i % 7 + 1);
    }
    return sum;
  }
}
