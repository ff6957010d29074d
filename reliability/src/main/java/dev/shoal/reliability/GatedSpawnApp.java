package dev.shoal.reliability;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Shoal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * An app whose containers run nothing until a gate opens: a container that loaded the app while the gate was shut
 * holds its inputs forever, one that loaded it after runs them. A test spawns with the gate shut, so that no call
 * can finish (or even leave a trace) before the server is killed, then opens the gate and restarts the server,
 * whose new containers run each call; every run leaves a file, so the test counts runs exactly.
 */
public final class GatedSpawnApp {
  /**
   * The gate: open when this file exists. Containers run in the caller's working directory, so the relative path
   * names the same file in both.
   */
  public static final Path GATE = Path.of("target", "chaos", "spawn-gate");

  /** Whether the gate was open when this JVM loaded the app; read once, so a later opening changes nothing. */
  private static final boolean OPEN_AT_LOAD = Files.exists(GATE);

  public static final App app = App.named("gated-spawn-app");

  /**
   * Takes {@code "DIR|N"}: in a container that loaded the app after the gate opened, leaves a file in DIR named
   * after N, this run's call and a random part, and returns 2 × N; in one that loaded it before, never returns.
   */
  public static final RemoteFunction<String, Integer> mark = app.function("mark", spec -> {
    if (!OPEN_AT_LOAD) {
      new CountDownLatch(1).await(); // held until the container is killed with its server
    }
    int bar = spec.indexOf('|');
    int n = Integer.parseInt(spec.substring(bar + 1));
    Files.writeString(Path.of(spec.substring(0, bar))
        .resolve(n + "_" + Shoal.context().functionCallId() + "_" + java.util.UUID.randomUUID()), "");
    return 2 * n;
  }, FunctionOptions.builder().maxContainers(2).concurrency(16).build());

  private GatedSpawnApp() {}
}
