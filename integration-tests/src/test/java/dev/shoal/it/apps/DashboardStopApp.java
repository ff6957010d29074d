package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.RemoteFunction;

/** An app to stop from the dashboard, apart from the one the other dashboard tests keep running. */
public final class DashboardStopApp {
  public static final App app = App.named("dashboard-stop-app");

  public static final RemoteFunction<Integer, Integer> twice = app.function("twice", x -> 2 * x);

  private DashboardStopApp() {}
}
