package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.RemoteFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A job's {@code main} for tests of how its JVM exits. {@code map MARKER}: a map whose inputs never finish, each
 * leaving a marker file as it starts, for the test to press Ctrl-C on. {@code call}: one call, then {@code main}
 * returns, printing {@code main returned} on stdout as its last act. {@code open}: the same, but the run is never
 * closed, as when a job forgets to.
 */
public final class CleanExitMain {
  public static final String MARKER_ENV = "SHOAL_TEST_MARKER_DIR";

  static final App app = App.named("clean-exit");

  static final RemoteFunction<Integer, Integer> hang = app.function("hang", x -> {
    Files.writeString(Path.of(System.getenv(MARKER_ENV)).resolve("started-" + x), "started");
    new CountDownLatch(1).await();
    return x;
  });

  static final RemoteFunction<Integer, Integer> square = app.function("square", x -> x * x);

  private CleanExitMain() {}

  public static void main(String[] args) {
    if (args[0].equals("open")) {
      app.run();
      System.out.println("square " + square.remote(7));
      System.out.println("main returned");
      return;
    }
    try (AppRun run = app.run()) {
      if (args[0].equals("map")) {
        for (int result : hang.map(List.of(1, 2))) {
          System.out.println("unexpected result " + result);
        }
      } else {
        System.out.println("square " + square.remote(7));
      }
    }
    System.out.println("main returned");
  }
}
