package dev.shoal.it.cli;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.FunctionCall;
import dev.shoal.RemoteException;
import dev.shoal.RemoteFunction;
import dev.shoal.Result;
import dev.shoal.SpawnedMap;
import java.util.List;

/**
 * A job for {@code shoal run --class}: spawns a call that succeeds, one that fails and a detached map of both
 * kinds, prints their ids, and waits for all to finish. One function serves both, so the job needs a single container.
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
      SpawnedMap map = square.spawnMap(List.of(n, -n, 2 * n));
      System.out.println("CALL " + call.id());
      System.out.println("FAILING " + failing.id());
      System.out.println("MAP " + map.id());
      for (Result<Integer> ignored : map.<Integer>results()) {
        // Read to the end: every input has finished, so its result outlives the run.
      }
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
