package dev.shoal.spring.apps;

import dev.shoal.App;
import dev.shoal.RemoteFunction;

/** The app the starter's tests deploy on their server. */
public final class JobsApp {
  public static final App app = App.named("jobs");

  public static final RemoteFunction<Integer, Integer> twice = app.function("twice", x -> x * 2);

  private JobsApp() {}
}
