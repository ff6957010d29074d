package dev.shoal.examples;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.FunctionOptions;
import dev.shoal.MapProgress;
import dev.shoal.RemoteFunction;
import dev.shoal.SpawnedMap;
import dev.shoal.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * A detached fan-out whose tasks keep their own output: {@code spawnMap} over 1,000 inputs (or as many as the
 * first argument says), each task writing {@code results/<input>.json} to the volume {@code results} and
 * committing it. {@code spawnMap} keeps no results; the volume does. Afterwards:
 *
 * <pre>
 *   shoal volume ls results results
 *   shoal volume get results results/42.json -
 * </pre>
 */
public final class VolumeResults {
  static final App app = App.named("volume-results");
  static final Volume results = Volume.fromName("results", true);

  /** Scores one input and writes the score where everyone can read it. */
  static final RemoteFunction<Integer, Integer> score = app.function("score", input -> {
    Path file = results.path().resolve("results/" + input + ".json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"input\": " + input + ", \"score\": " + (long) input * input % 997 + "}\n");
    results.commit(); // visible to every reader from now on, whatever happens to this container later
    return input;
  }, FunctionOptions.builder().volume(results).maxContainers(4).concurrency(8).build());

  private VolumeResults() {}

  public static void main(String[] args) throws InterruptedException {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    try (AppRun run = app.run()) {
      SpawnedMap job = score.spawnMap(IntStream.range(0, count).boxed());
      System.out.println("spawned " + job.id() + " over " + count + " inputs");
      // On the embedded engine the work lives in this process, so wait for it; a server would carry on alone.
      MapProgress progress = job.progress();
      while (!progress.isDone()) {
        Thread.sleep(500);
        progress = job.progress();
        System.out.printf("%d of %d done%n", progress.succeeded() + progress.failed(), progress.total());
      }
      System.out.printf("%d succeeded, %d failed; see `shoal volume ls results results`%n", progress.succeeded(),
          progress.failed());
    }
  }
}
