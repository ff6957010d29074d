package dev.shoal.examples;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.CallStatus;
import dev.shoal.FunctionCall;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A job queue: {@link #submit} spawns jobs and returns their ids at once, without waiting for any of them;
 * {@link #collect} later polls those ids and gathers the results. Only the ids pass between the two, as they
 * would between a web request that submits work and a later one that asks for it.
 */
public final class JobQueue {
  static final App app = App.named("job-queue");

  /** A report that takes a while to render. */
  static final RemoteFunction<String, String> render = app.function("render", name -> {
    Thread.sleep(300 + Math.abs(name.hashCode() % 700));
    return "report " + name + " (" + name.length() * 1_000 + " rows)";
  }, FunctionOptions.builder().timeout(Duration.ofMinutes(5)).maxContainers(2).concurrency(2).build());

  private JobQueue() {}

  /** Spawns one job per name and returns the call ids at once. */
  static List<String> submit(List<String> names) {
    List<String> ids = new ArrayList<>();
    for (String name : names) {
      ids.add(render.spawn(name).id());
    }
    return ids;
  }

  /** Polls the ids until each job is done, printing progress, and returns the results in id order. */
  static List<String> collect(List<String> ids) throws InterruptedException {
    while (true) {
      long done = ids.stream().filter(id -> FunctionCall.fromId(id).status().isTerminal()).count();
      System.out.printf("%d of %d jobs done%n", done, ids.size());
      if (done == ids.size()) {
        break;
      }
      Thread.sleep(250);
    }
    List<String> results = new ArrayList<>();
    for (String id : ids) {
      FunctionCall<String> call = FunctionCall.fromId(id);
      results.add(call.status() == CallStatus.SUCCEEDED ? call.get() : id + " failed: " + call.status());
    }
    return results;
  }

  public static void main(String[] args) throws InterruptedException {
    try (AppRun run = app.run()) {
      long start = System.nanoTime();
      List<String> ids = submit(List.of("north", "south", "east", "west", "central", "islands"));
      System.out.printf("submitted %d jobs in %d ms:%n", ids.size(), (System.nanoTime() - start) / 1_000_000);
      ids.forEach(id -> System.out.println("  " + id));
      collect(ids).forEach(System.out::println);
    }
  }
}
