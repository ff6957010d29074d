package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Shoal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * An app for the server-restart tests. Every run of {@link #mark} leaves a file that names its argument, its input
 * and its attempt, so that a test counts how often each spawn ran, and under which call.
 */
public final class RestartApp {
  public static final App app = App.named("restart-app");

  /** Takes {@code "DIR|N"}: writes a file for this run into DIR, waits a little, and returns 2 × N. */
  public static final RemoteFunction<String, Integer> mark = app.function("mark", spec -> {
    int bar = spec.indexOf('|');
    Path dir = Path.of(spec.substring(0, bar));
    int n = Integer.parseInt(spec.substring(bar + 1));
    Files.writeString(dir.resolve(n + "_" + Shoal.context().inputId() + "_" + Shoal.context().attempt() + "_"
        + UUID.randomUUID()), "");
    Thread.sleep(20);
    return 2 * n;
  }, FunctionOptions.builder().concurrency(8).build());

  /** Takes N and returns 2 × N after a pause: long enough for a map to be cut off by a restart. */
  public static final RemoteFunction<Integer, Integer> slow = app.function("slow", n -> {
    Thread.sleep(50);
    return 2 * n;
  }, FunctionOptions.builder().concurrency(8).build());

  /**
   * Returns once the file it is given exists (at most a minute): a call that finishes when a test says so. It
   * first writes the file's name with {@code .started} added, so that the test knows it runs.
   */
  public static final RemoteFunction<String, String> awaitFile = app.function("awaitFile", path -> {
    Path file = Path.of(path);
    Files.writeString(Path.of(path + ".started"), "");
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return Files.exists(file) ? "found" : "gave up";
  });

  private RestartApp() {}
}
