package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import java.util.List;
import java.util.stream.IntStream;

/** An app for tests of container lifetimes; its main is a caller that a test kills. */
public final class LifecycleApp {
  public static final App app = App.named("lifecycle-app");

  /** Sleeps a little so that a map spreads over several containers, and says which process ran it. */
  public static final RemoteFunction<Integer, Long> pid = app.function("pid", x -> {
    Thread.sleep(50);
    return ProcessHandle.current().pid();
  }, FunctionOptions.builder().maxContainers(2).build());

  private LifecycleApp() {}

  /** Collects the pids of the process containers a small map ran on. */
  public static List<Long> containerPids() {
    return pid.map(IntStream.range(0, 40).boxed().toList()).toList().stream().distinct().toList();
  }

  /** Runs the app, prints its container pids on one line, then waits to be killed. */
  public static void main(String[] args) throws InterruptedException {
    AppRun run = app.run();
    System.out.println("PIDS " + String.join(" ", containerPids().stream().map(String::valueOf).toList()));
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
    run.close();
  }
}
