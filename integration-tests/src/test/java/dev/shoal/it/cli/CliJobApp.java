package dev.shoal.it.cli;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.RemoteException;
import dev.shoal.RemoteFunction;

/**
 * A job for {@code shoal run --class}: spawns a call that succeeds and one that fails, prints their ids, and
 * waits for both to finish. One function serves both, so the job needs a single container.
 */
public final class CliJobApp {
  static final App app = App.named("cli-job");

  static final RemoteFunction<Integer, Integer> square = app.function("square", x -> {
    if (x < 0) {
      throw new IllegalStateException("no luck with " + x);
    }
    return x * x;
  });

  private CliJobApp() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    try (AppRun run = app.run()) {
      FunctionCall<Integer> call = square.spawn(n);
      FunctionCall<Integer> failing = square.spawn(-n);
      System.out.println("CALL " + call.id());
      System.out.println("FAILING " + failing.id());
      // Closing the run cancels unfinished calls; waiting leaves both with a result that other processes can get.
      call.get();
      try {
        failing.get();
      } catch (RemoteException expected) {
        // The failure is what `shoal call get` must report.
      }
    }
  }
}
