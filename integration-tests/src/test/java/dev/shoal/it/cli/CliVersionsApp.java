package dev.shoal.it.cli;

import dev.shoal.App;
import dev.shoal.RemoteFunction;

/** An app deployed several times by the versions test: loading the class defines it. */
public final class CliVersionsApp {
  static final App app = App.named("cli-versions");

  static final RemoteFunction<Integer, Integer> inc = app.function("inc", x -> x + 1);

  private CliVersionsApp() {}
}
