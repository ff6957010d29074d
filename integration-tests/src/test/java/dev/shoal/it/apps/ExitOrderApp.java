package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.Cls;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Volume;
import java.nio.file.Files;

/** A class whose exit hook writes to its volume and prints, in an app that a test starts and stops by itself. */
public final class ExitOrderApp {
  public static final App app = App.named("exit-order-app");
  public static final Volume vol = Volume.fromName("exit-order", true);

  /** Writes what its container saw to the volume as it closes. */
  public static final class Writer implements AutoCloseable {
    @Override
    public void close() throws java.io.IOException {
      System.out.println("exit hook ran in " + Thread.currentThread().getName());
      Files.writeString(vol.path().resolve("exit.txt"), "written by the exit hook");
    }
  }

  public static final Cls<Writer> writer = app.cls("Writer", Writer::new,
      FunctionOptions.builder().volume(vol).maxContainers(1).build());

  public static final RemoteFunction<Integer, Integer> touch = writer.method("touch", (w, x) -> x);

  private ExitOrderApp() {}
}
