package dev.shoal.it.cli;

import dev.shoal.App;
import dev.shoal.RemoteFunction;
import dev.shoal.RemoteFunction2;

/** An app whose functions {@code shoal call} calls with arguments from the command line. */
public final class CliCallApp {
  static final App app = App.named("cli-call");

  static final RemoteFunction<Integer, Integer> twice = app.function("twice", x -> 2 * x);

  /** What the function received: its class and value. */
  static final RemoteFunction<Object, String> describe = app.function("describe",
      x -> x.getClass().getSimpleName() + " " + x);

  static final RemoteFunction2<Integer, Integer, Integer> add = app.function("add", (a, b) -> a + b);

  private CliCallApp() {}
}
