package dev.shoal.it.cli;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.RemoteFunction;

/**
 * A job for {@code shoal run --class} whose function prints: spawns a call per argument, prints each call's id
 * and waits for them, so that {@code shoal app logs} has lines to show after the run.
 */
public final class CliLogsApp {
  static final App app = App.named("cli-logs");

  static final RemoteFunction<Integer, Integer> shout = app.function("shout", x -> {
    System.out.println("hello from the container " + x);
    return x;
  });

  private CliLogsApp() {}

  public static void main(String[] args) {
    try (AppRun run = app.run()) {
      for (String arg : args) {
        FunctionCall<Integer> call = shout.spawn(Integer.parseInt(arg));
        call.get();
        System.out.println("CALL " + arg + " " + call.id());
      }
    }
  }
}
