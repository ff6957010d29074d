package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.RemoteFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An app whose class, once loaded, leaves a marker file where {@code SHOAL_MARKER_FILE} says: the proof that code
 * ran. A test that starts it through a request that must be refused checks that no marker appears.
 */
public final class MarkerApp {
  public static final String ENV = "SHOAL_MARKER_FILE";

  static {
    String marker = System.getenv(ENV);
    if (marker != null) {
      try {
        Files.writeString(Path.of(marker), "ran in pid " + ProcessHandle.current().pid());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static final App app = App.named("marker-app");

  public static final RemoteFunction<Integer, Integer> touch = app.function("touch", x -> x);

  private MarkerApp() {}
}
