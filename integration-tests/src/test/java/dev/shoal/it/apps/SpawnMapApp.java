package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction2;
import java.nio.file.Files;
import java.nio.file.Path;

/** A detached map whose tasks write their output to files, as spawnMap tasks must. */
public final class SpawnMapApp {
  public static final App app = App.named("spawn-map-app");

  /** Writes {@code n * n} to {@code dir/n.txt}; 13 fails. */
  public static final RemoteFunction2<String, Integer, Integer> write = app.function("write", (dir, n) -> {
    if (n == 13) {
      throw new IllegalArgumentException("13 is unlucky");
    }
    Files.writeString(Path.of(dir, n + ".txt"), Integer.toString(n * n));
    return n;
  }, FunctionOptions.builder().concurrency(4).build());

  private SpawnMapApp() {}

}
