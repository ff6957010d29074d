package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Shoal;
import java.time.Duration;

/** Functions that print, for the output and logs tests. */
public final class OutputApp {
  public static final App app = App.named("output-app");

  /** Prints one line to stdout and one to stderr. */
  public static final RemoteFunction<Integer, Integer> echo = app.function("echo", x -> {
    System.out.println("hello " + x);
    System.err.println("warn " + x);
    return x;
  });

  /**
   * Prints {@code lines} lines that name the input running them, in pieces so that concurrent inputs' writes
   * would mix within a line if they could, and one line from a thread the input starts.
   */
  public static final RemoteFunction<Integer, Integer> chatty = app.function("chatty", lines -> {
    String input = Shoal.context().inputId();
    for (int i = 0; i < lines; i++) {
      System.out.print("line " + i);
      System.out.print(" of ");
      System.out.print(input);
      System.out.println(" " + "x".repeat(40));
      if (i % 10 == 0) {
        Thread.yield();
      }
    }
    Thread child = Thread.ofPlatform().start(() -> System.out.println("child of " + input));
    child.join();
    return lines;
  }, FunctionOptions.builder().concurrency(8).maxContainers(1).build());

  /** Prints {@code lines} lines of 100 characters as fast as it can. */
  public static final RemoteFunction<Integer, Integer> flood = app.function("flood", lines -> {
    String padding = "y".repeat(90);
    for (int i = 0; i < lines; i++) {
      System.out.println(padding + i);
    }
    return lines;
  }, FunctionOptions.builder().timeout(Duration.ofMinutes(3)).build());

  /** Sleeps far past its 2 s timeout. */
  public static final RemoteFunction<Integer, Integer> stuck = app.function("stuck", x -> {
    System.out.println("stuck " + x + " begins");
    Thread.sleep(Duration.ofMinutes(5));
    return x;
  }, FunctionOptions.builder().timeout(Duration.ofSeconds(2)).build());

  /** Ends its container's JVM with exit code 42. */
  public static final RemoteFunction<Integer, Integer> crash = app.function("crash", x -> {
    System.out.println("crashing on " + x);
    System.out.flush();
    Runtime.getRuntime().halt(42);
    return x;
  });

  private OutputApp() {}
}
