package dev.shoal.internal.backend.kubernetes;

import dev.shoal.App;
import dev.shoal.RemoteFunction;
import java.nio.file.Files;
import java.nio.file.Path;

/** The app the pods of these tests serve; its containers run as real processes started from fetched artifacts. */
public final class PodApp {
  static final App app = App.named("pods");

  /** Echoes its argument with the id of the container that ran it. */
  static final RemoteFunction<String, String> echo = app.function("echo",
      x -> x + "@" + dev.shoal.Shoal.context().containerId());

  /**
   * Each test sets the timeout, retries and container limits in the definitions it starts the app with. Marks
   * {@code DIR/started-ATTEMPT} and adds a line to {@code DIR/runs}, then waits until {@code DIR/release} exists: a
   * test holds an input in a container this way, and fails the pod under it.
   */
  static final RemoteFunction<String, String> hold = app.function("hold", dir -> {
    Path d = Path.of(dir);
    Files.writeString(d.resolve("started-" + dev.shoal.Shoal.context().attempt()), "");
    // One line per run, whatever its attempt: an input that a container dying under it gives back runs again
    // under the same attempt.
    Files.writeString(d.resolve("runs"), dev.shoal.Shoal.context().containerId() + "\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    while (!Files.exists(d.resolve("release"))) {
      Thread.sleep(20);
    }
    return "released@" + dev.shoal.Shoal.context().containerId();
  });

  private PodApp() {}
}
