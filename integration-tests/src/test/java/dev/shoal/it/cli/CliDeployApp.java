package dev.shoal.it.cli;

import dev.shoal.App;
import dev.shoal.RemoteFunction;

/** An app for {@code shoal deploy --class}: loading the class defines it. */
public final class CliDeployApp {
  static final App app = App.named("cli-deployed");

  static final RemoteFunction<Integer, Integer> twice = app.function("twice", x -> 2 * x);

  private CliDeployApp() {}
}
