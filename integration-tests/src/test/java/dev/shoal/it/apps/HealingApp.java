package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.RemoteFunction;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An app whose class fails to load in its containers while {@link #BROKEN} exists, as an app with a missing
 * dependency does until it is fixed. Containers run in the caller's working directory, so the relative path names
 * the same file in both.
 */
public final class HealingApp {
  public static final Path BROKEN = Path.of("target", "healing-app", "broken");

  static {
    if (System.getenv("SHOAL_CONTAINER_ID") != null && Files.exists(BROKEN)) {
      throw new IllegalStateException("HealingApp cannot load while " + BROKEN + " exists");
    }
  }

  public static final App app = App.named("healing-app");

  public static final RemoteFunction<Integer, Integer> twice = app.function("twice", x -> 2 * x);

  private HealingApp() {}
}
