package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Retries;
import dev.shoal.Shoal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Functions that fail, hang or crowd, for the failure-semantics tests. */
public final class FailureApp {
  public static final App app = App.named("failure-app");

  /** Fails its first two attempts and succeeds on the third. */
  public static final RemoteFunction<String, String> flaky = app.function("flaky", tag -> {
    int attempt = Shoal.context().attempt();
    if (attempt < 3) {
      throw new IllegalStateException(tag + " failed on attempt " + attempt);
    }
    return tag + " succeeded on attempt " + attempt;
  }, FunctionOptions.builder().retries(3).build());

  /** Always fails, naming the attempt, with two quick retries. */
  public static final RemoteFunction<String, String> hopeless = app.function("hopeless", tag -> {
    throw new IllegalStateException(tag + " failed on attempt " + Shoal.context().attempt());
  }, FunctionOptions.builder()
      .retries(Retries.builder().maxRetries(2).initialDelay(Duration.ZERO).build())
      .build());

  /** Writes its container's pid to the given file, then sleeps far past its 2 s timeout. */
  public static final RemoteFunction<String, String> hang = app.function("hang", pidFile -> {
    Files.writeString(Path.of(pidFile), Long.toString(ProcessHandle.current().pid()));
    Thread.sleep(Duration.ofMinutes(5));
    return "woke up";
  }, FunctionOptions.builder().timeout(Duration.ofSeconds(2)).build());

  /** Writes its container's pid to the given file, then sleeps for a minute: a call to cancel. */
  public static final RemoteFunction<String, String> sleeper = app.function("sleeper", pidFile -> {
    if (!pidFile.isEmpty()) {
      Files.writeString(Path.of(pidFile), Long.toString(ProcessHandle.current().pid()));
    }
    Thread.sleep(Duration.ofMinutes(1));
    return "slept";
  }, FunctionOptions.builder().maxContainers(1).concurrency(2).build());

  /** Returns its input and the container that ran it, after a short pause. */
  public static final RemoteFunction<Integer, long[]> capped = app.function("capped", x -> {
    Thread.sleep(100);
    return new long[] {x, ProcessHandle.current().pid()};
  }, FunctionOptions.builder().maxContainers(2).build());

  private static final AtomicInteger RUNNING = new AtomicInteger();
  private static final AtomicInteger MOST_RUNNING = new AtomicInteger();

  /** Reports the most inputs this container ran at once so far. */
  public static final RemoteFunction<Integer, Integer> crowded = app.function("crowded", x -> {
    MOST_RUNNING.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
    Thread.sleep(300);
    RUNNING.decrementAndGet();
    return MOST_RUNNING.get();
  }, FunctionOptions.builder().maxContainers(1).concurrency(4).build());

  /** A function whose containers stop one second after they go idle. */
  public static final RemoteFunction<Integer, Integer> brief = app.function("brief", x -> x,
      FunctionOptions.builder().scaledownWindow(Duration.ofSeconds(1)).build());

  private FailureApp() {}
}
