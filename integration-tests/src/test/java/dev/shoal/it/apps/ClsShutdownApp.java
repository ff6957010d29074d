package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.Cls;
import dev.shoal.ClsParams;
import dev.shoal.RemoteFunction;
import java.nio.file.Files;
import java.nio.file.Path;

/** A class whose close() leaves a file behind, in an app that a test starts and stops by itself. */
public final class ClsShutdownApp {
  public static final App app = App.named("cls-shutdown-app");

  /** Holds the path its close() writes. */
  public record Marker(String path) implements AutoCloseable {
    @Override
    public void close() throws java.io.IOException {
      Files.writeString(Path.of(path), "closed at run end");
    }
  }

  public static final Cls<Marker> marker = app.cls("Marker", (ClsParams p) -> new Marker(p.string("path")));

  public static final RemoteFunction<Integer, Integer> touch = marker.method("touch", (m, x) -> x);

  private ClsShutdownApp() {}
}
