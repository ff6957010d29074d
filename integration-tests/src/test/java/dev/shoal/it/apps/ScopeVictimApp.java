package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Volume;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Another user's app, which {@link ScopeProbeApp}'s containers must not reach: its calls, its maps, its functions
 * and its volume.
 */
public final class ScopeVictimApp {
  public static final App app = App.named("scope-victim");
  public static final String VOLUME = "scope-victim-secret";
  public static final Volume secret = Volume.fromName(VOLUME, true);

  /** Returns once the file it is given exists (at most a minute), so that its calls stay unfinished. */
  public static final RemoteFunction<String, String> awaitFile = app.function("awaitFile", path -> {
    Path file = Path.of(path);
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return Files.exists(file) ? "found" : "gave up";
  }, FunctionOptions.builder().volume(secret).build());

  /** What a deployed version of this app offers to other apps' containers through fromName. */
  public static final RemoteFunction<Integer, Integer> plusOne = app.function("plusOne", x -> x + 1);

  private ScopeVictimApp() {}
}
