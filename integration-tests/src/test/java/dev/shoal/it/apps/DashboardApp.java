package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import java.time.Duration;

/** Functions to watch in the dashboard: a paced map, a failing input, a call to cancel, a quick one to count. */
public final class DashboardApp {
  public static final App app = App.named("dashboard-app");

  /** Takes a moment per input on one container, so that a map of them makes visible progress. */
  public static final RemoteFunction<Integer, Integer> paced = app.function("paced", x -> {
    Thread.sleep(250);
    return x;
  }, FunctionOptions.builder().maxContainers(1).build());

  /** Fails input 3, with a cause, and no retries. */
  public static final RemoteFunction<Integer, Integer> brittle = app.function("brittle", x -> {
    if (x == 3) {
      throw new IllegalStateException("input 3 is broken", new IllegalArgumentException("three is not allowed"));
    }
    return x;
  }, FunctionOptions.builder().retries(0).build());

  /** Sleeps for five minutes: a call to cancel. */
  public static final RemoteFunction<String, String> sleeper = app.function("sleeper", tag -> {
    Thread.sleep(Duration.ofMinutes(5));
    return tag;
  }, FunctionOptions.builder().maxContainers(1).concurrency(4).build());

  public static final RemoteFunction<Integer, Integer> square = app.function("square", x -> x * x);

  /** Prints its input, for the log's live tail. */
  public static final RemoteFunction<String, String> shout = app.function("shout", text -> {
    System.out.println("shouting " + text);
    return text;
  });

  private DashboardApp() {}
}
