package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.Batching;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;

/** Functions for the tests of variants, runtime scaling and current stats. */
public final class VariantsApp {
  public static final App app = App.named("variants-app");

  /**
   * Idle containers go after a second, so that the machine's room for containers, which every pool here shares,
   * is free again for the next test's pool.
   */
  private static final FunctionOptions ONE_CONTAINER = FunctionOptions.builder()
      .maxContainers(1)
      .scaledownWindow(Duration.ofSeconds(1))
      .build();

  /** Its container's process id and the MODE it sees. */
  public static final RemoteFunction<String, String> whoami = app.function("whoami",
      tag -> ProcessHandle.current().pid() + " " + System.getenv().getOrDefault("MODE", "-"),
      ONE_CONTAINER.toBuilder().env("MODE", "base").build());

  /** A variant made before the run starts, so that the run starts with its pool. */
  public static final RemoteFunction<String, String> big = whoami.withOptions(o -> o.env("MODE", "big"));

  /** For each input, the size of the batch it ran in. */
  public static final RemoteFunction<Integer, Integer> sizes = app.batched("sizes",
      xs -> Collections.nCopies(xs.size(), xs.size()), Batching.of(2, Duration.ofMinutes(1)), ONE_CONTAINER);

  /** Waits until its directory holds "release". */
  public static final RemoteFunction<String, String> hold = app.function("hold", dir -> {
    while (!Files.exists(Path.of(dir, "release"))) {
      Thread.sleep(20);
    }
    return "released";
  }, ONE_CONTAINER);

  /** Never called: its containers are only those its autoscaler settings ask for. */
  public static final RemoteFunction<String, String> idle = app.function("idle", s -> s,
      FunctionOptions.builder().maxContainers(4).scaledownWindow(Duration.ofSeconds(1)).build());

  private VariantsApp() {}
}
