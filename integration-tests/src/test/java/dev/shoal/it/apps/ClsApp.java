package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.Batching;
import dev.shoal.Cls;
import dev.shoal.ClsParams;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Shoal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Classes for the Cls tests; a container loads this class to find them. */
public final class ClsApp {
  public static final App app = App.named("cls-app");

  /** How often a factory ran in this JVM; each process container is a JVM of its own. */
  static final AtomicInteger FACTORY_RUNS = new AtomicInteger();

  /**
   * What a method saw.
   *
   * @param factoryRuns how often a factory had run in the container's JVM
   * @param value what the method computed
   */
  public record Seen(long pid, String containerId, int factoryRuns, long value) {}

  /** An instance with state: a counter that lives as long as its container. */
  public static final class Counter {
    private final AtomicInteger count = new AtomicInteger();

    Counter() {
      FACTORY_RUNS.incrementAndGet();
    }
  }

  public static final Cls<Counter> counter = app.cls("Counter", Counter::new,
      FunctionOptions.builder().maxContainers(1).build());

  /** Adds to the instance's counter. */
  public static final RemoteFunction<Integer, Seen> add = counter.method("add", (c, n) -> seen(c.count.addAndGet(n)));

  /** Reads the instance's counter. */
  public static final RemoteFunction<Integer, Seen> read = counter.method("read", (c, ignored) -> seen(c.count.get()));

  /** A parameterised class whose close() writes the file its {@code closeFile} parameter names. */
  public static final class Greeter implements AutoCloseable {
    private final String greeting;
    private final String closeFile;

    Greeter(ClsParams params) {
      this.greeting = params.string("greeting", "hello");
      this.closeFile = params.string("closeFile", "");
    }

    @Override
    public void close() throws IOException {
      if (!closeFile.isEmpty()) {
        Files.writeString(Path.of(closeFile), "closed by " + ProcessHandle.current().pid());
      }
    }
  }

  public static final Cls<Greeter> greeter = app.cls("Greeter", Greeter::new,
      FunctionOptions.builder().scaledownWindow(Duration.ofSeconds(1)).build());

  public static final RemoteFunction<String, String> greet = greeter.method("greet", (g, name) -> g.greeting + ", " + name);

  /** Says which process runs it, so that a test can send that process a signal. */
  public static final RemoteFunction<Integer, Long> greeterPid =
      greeter.method("pid", (g, ignored) -> ProcessHandle.current().pid());

  /** A parameter set made before the run starts, whose pool the run therefore starts with. */
  public static final Cls<Greeter> french = greeter.with(Map.of("greeting", "bonjour"));

  /** A parameterised class that says which container serves each parameter set. */
  public static final Cls<String> tagged = app.cls("Tagged", params -> params.string("tag"));

  public static final RemoteFunction<Integer, String> whereIs =
      tagged.method("whereIs", (tag, ignored) -> tag + "@" + Shoal.context().containerId());

  /** A class whose factory fails, as one that cannot find its model would. */
  public static final Cls<Object> broken = app.cls("Broken", () -> {
    throw new IllegalStateException("no weights found at /models/missing.bin");
  });

  public static final RemoteFunction<Integer, Integer> useBroken = broken.method("use", (self, x) -> x);

  /** A class with a batched method that multiplies by its parameter. */
  public static final Cls<Long> scaler = app.cls("Scaler", params -> {
    FACTORY_RUNS.incrementAndGet();
    return params.integer("factor", 1);
  }, FunctionOptions.builder().maxContainers(1).build());

  /**
   * What the batched method returns for one input.
   *
   * @param batchSize how many inputs its batch had
   */
  public record Scaled(long value, int batchSize, int factoryRuns) {}

  public static final RemoteFunction<Integer, Scaled> scale = scaler.batchedMethod("scale",
      (factor, xs) -> xs.stream().map(x -> new Scaled(x * factor, xs.size(), FACTORY_RUNS.get())).toList(),
      Batching.of(16, Duration.ofMillis(300)));

  private ClsApp() {}

  private static Seen seen(long value) {
    return new Seen(ProcessHandle.current().pid(), Shoal.context().containerId(), FACTORY_RUNS.get(), value);
  }
}
