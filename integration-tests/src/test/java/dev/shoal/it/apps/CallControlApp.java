package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.Batching;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Retries;
import dev.shoal.Shoal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Functions for the tests of call control: cancellation, gather and failures in the logs. Those that run until
 * they are cancelled each have one container taking one input at a time, and take a directory where the body
 * leaves markers of what happened to it.
 */
public final class CallControlApp {
  public static final App app = App.named("call-control-app");

  private static final FunctionOptions ONE_AT_A_TIME = FunctionOptions.builder()
      .maxContainers(1)
      .retries(Retries.builder().maxRetries(2).initialDelay(Duration.ZERO).build())
      .build();

  /** Sleeps for a minute, unless interrupted; says which attempt started and whether it was interrupted. */
  public static final RemoteFunction<String, Long> sleeper = app.function("sleeper", dir -> {
    if (dir.isEmpty()) {
      return ProcessHandle.current().pid();
    }
    mark(dir, "started-" + Shoal.context().attempt(), ProcessHandle.current().pid());
    try {
      Thread.sleep(Duration.ofMinutes(1));
    } catch (InterruptedException e) {
      mark(dir, "interrupted", 0);
      throw e;
    }
    return ProcessHandle.current().pid();
  }, ONE_AT_A_TIME);

  /**
   * Swallows every interrupt and goes on, asking Shoal for its context once it has swallowed one. It reaches Shoal
   * only after an interrupt, so that the marker of the swallowed interrupt is always written: an interrupt that
   * arrives between two sleeps stays pending and ends the next sleep at once.
   */
  public static final RemoteFunction<String, Long> stubborn = app.function("stubborn", dir -> {
    if (dir.isEmpty()) {
      return ProcessHandle.current().pid();
    }
    mark(dir, "started-" + Shoal.context().attempt(), ProcessHandle.current().pid());
    boolean interrupted = false;
    try {
      for (int i = 0; i < 600; i++) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          mark(dir, "ignored-interrupt", 0);
          interrupted = true;
        }
        if (interrupted) {
          Shoal.context();
        }
      }
    } catch (RuntimeException e) {
      mark(dir, "stopped-by-" + e.getClass().getSimpleName(), 0);
      throw e;
    }
    return ProcessHandle.current().pid();
  }, ONE_AT_A_TIME);

  /** Spins without ever reaching Shoal or looking at its interrupt flag: only its container's end stops it. */
  public static final RemoteFunction<String, Long> spinner = app.function("spinner", dir -> {
    if (dir.isEmpty()) {
      return ProcessHandle.current().pid();
    }
    mark(dir, "started-" + Shoal.context().attempt(), ProcessHandle.current().pid());
    long spins = 0;
    while (spins >= 0) {
      spins++;
    }
    return spins;
  }, ONE_AT_A_TIME);

  /** Fails at once. */
  public static final RemoteFunction<String, Long> fails = app.function("fails", tag -> {
    throw new IllegalStateException(tag + " failed");
  });

  /** Prints its attempt; fails the first, with a cause, and succeeds on the second. */
  public static final RemoteFunction<String, String> flaky = app.function("flaky", tag -> {
    int attempt = Shoal.context().attempt();
    System.out.println(tag + " trying attempt " + attempt);
    if (attempt == 1) {
      throw new IllegalStateException(tag + " broke on attempt 1", new IOException("disk full"));
    }
    return tag + " done";
  }, FunctionOptions.builder().retries(Retries.builder().maxRetries(1).initialDelay(Duration.ZERO).build()).build());

  /** Doubles its argument, and fails for the unlucky ones: those 7 past a multiple of 500. */
  public static final RemoteFunction<Integer, Integer> odd = app.function("odd", x -> {
    if (x % 500 == 7) {
      throw new IllegalArgumentException("input " + x + " is unlucky");
    }
    return x * 2;
  }, FunctionOptions.builder().concurrency(16).build());

  /**
   * Returns the number its path ends with; input "…/0" first waits, interruptibly, until its directory holds
   * "release". Sixteen at a time in one container, so the others go on while it waits.
   */
  public static final RemoteFunction<String, Integer> gated = app.function("gated", path -> {
    Path p = Path.of(path);
    if (p.getFileName().toString().equals("0")) {
      while (!Files.exists(p.getParent().resolve("release"))) {
        Thread.sleep(50);
      }
    }
    return Integer.parseInt(p.getFileName().toString());
  }, FunctionOptions.builder().maxContainers(1).concurrency(16).build());

  /** Returns its argument. */
  public static final RemoteFunction<Integer, Integer> echo = app.function("echo", x -> x);

  /**
   * Batches of two: marks the batch as started, then waits, interruptibly, until the directory of its first input
   * holds "release"; returns ten times each input's number (the name of its directory).
   */
  public static final RemoteFunction<String, Integer> pairs = app.batched("pairs", dirs -> {
    Path first = Path.of(dirs.get(0)).getParent();
    Files.writeString(first.resolve("batch-of-" + dirs.size()), "");
    while (!Files.exists(first.resolve("release"))) {
      Thread.sleep(50);
    }
    List<Integer> out = new ArrayList<>();
    for (String d : dirs) {
      out.add(10 * Integer.parseInt(Path.of(d).getFileName().toString()));
    }
    return out;
  }, Batching.of(2, Duration.ofSeconds(10)), FunctionOptions.builder().maxContainers(1).build());

  private static void mark(String dir, String name, long value) throws IOException {
    Files.writeString(Path.of(dir).resolve(name), Long.toString(value));
  }

  private CallControlApp() {}
}
