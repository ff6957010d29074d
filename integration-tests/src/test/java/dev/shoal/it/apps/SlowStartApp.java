package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An app whose containers stay starting until a test lets them go: each, as it loads this class, leaves a file
 * named after its pid in {@link #STARTING}, then waits until {@link #GATE} exists. Containers run in the caller's
 * working directory, so the relative paths name the same files in both.
 */
public final class SlowStartApp {
  public static final Path STARTING = Path.of("target", "slow-start-app", "starting");
  public static final Path GATE = Path.of("target", "slow-start-app", "gate");

  static {
    if (System.getenv("SHOAL_CONTAINER_ID") != null) {
      try {
        Files.createDirectories(STARTING);
        Files.writeString(STARTING.resolve(Long.toString(ProcessHandle.current().pid())), "");
        while (!Files.exists(GATE)) {
          Thread.sleep(20);
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("SlowStartApp could not wait for its gate", e);
      }
    }
  }

  public static final App app = App.named("slow-start-app");

  public static final RemoteFunction<Integer, Integer> square = app.function("square", x -> x * x,
      FunctionOptions.builder().maxContainers(3).build());

  private SlowStartApp() {}
}
