package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.RemoteFunction;

/** An app whose class loads in the caller but fails to load in its containers. */
public final class BrokenApp {
  public static final App app = App.named("broken-app");

  static {
    if (System.getenv("SHOAL_CONTAINER_ID") != null) {
      throw new IllegalStateException("BrokenApp refuses to load in a container");
    }
  }

  public static final RemoteFunction<Integer, Integer> identity = app.function("identity", x -> x);

  private BrokenApp() {}
}
