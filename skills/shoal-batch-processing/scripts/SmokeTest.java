import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.Args;
import dev.shoal.Args2;
import dev.shoal.Batching;
import dev.shoal.FunctionCall;
import dev.shoal.FunctionOptions;
import dev.shoal.MapProgress;
import dev.shoal.RemoteFunction;
import dev.shoal.RemoteFunction2;
import dev.shoal.SpawnedMap;
import dev.shoal.Volume;
import dev.shoal.VolumeEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The smoke test of the shoal-batch-processing skill: each of its four workflows once, for real, on whatever engine
 * the environment names (the embedded engine when no server is configured). Run it with
 *
 * <pre>
 *   shoal run skills/shoal-batch-processing/scripts/SmokeTest.java
 * </pre>
 *
 * It prints one line, {@code PASS shoal-batch-processing smoke test: …} on stdout and exits 0, or
 * {@code FAIL shoal-batch-processing smoke test: …} on stderr and exits 1. The files it writes to the volume
 * {@code shoal-skill-smoke} are removed again when it passes.
 */
public final class SmokeTest {
  static final App app = App.named("skill-smoke-test");
  static final Volume scratch = Volume.fromName("shoal-skill-smoke", true);

  /**
   * One container per function, stopped two seconds after its last input: the steps run one after another on
   * inputs that take microseconds, so a second container would only cost a JVM start, and on a small machine the
   * next step's containers would otherwise wait for the previous step's to stay idle for a minute.
   */
  static final FunctionOptions QUICK = FunctionOptions.builder()
      .timeout(Duration.ofMinutes(1))
      .maxContainers(1)
      .scaledownWindow(Duration.ofSeconds(2))
      .build();

  static final RemoteFunction<Integer, Integer> square = app.function("square", x -> x * x, QUICK);

  static final RemoteFunction2<String, Integer, String> repeat = app.function("repeat", (s, n) -> s.repeat(n), QUICK);

  /** A detached task: its output is the file it writes and commits, where a large output belongs. */
  static final RemoteFunction2<String, Integer, Integer> writeSquare = app.function("writeSquare", (dir, n) -> {
    Path file = scratch.path().resolve(dir + "/" + n + ".txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, Integer.toString(n * n));
    scratch.commit();
    return n;
  }, QUICK.toBuilder().volume(scratch).build());

  /** What a batched body returned for one input, with the size of the batch it ran in. */
  record Doubled(int value, int batchSize) {}

  static final RemoteFunction<Integer, Doubled> doubled = app.batched("doubled",
      (List<Integer> xs) -> xs.stream().map(x -> new Doubled(2 * x, xs.size())).toList(),
      Batching.of(8, Duration.ofMillis(100)),
      QUICK);

  private static final Duration WAIT = Duration.ofMinutes(2);

  public static void main(String[] args) {
    long started = System.nanoTime();
    try {
      runEveryWorkflow();
    } catch (Throwable e) {
      // A failed check says what it saw; anything else is shown with its type, which often says more than its message.
      System.err.println("FAIL shoal-batch-processing smoke test: "
          + (e instanceof AssertionError ? e.getMessage() : e.toString()));
      System.exit(1);
    }
    System.out.printf(Locale.ROOT, "PASS shoal-batch-processing smoke test: map, starmap, spawn + fromId,"
        + " spawnMap into a volume, batched (%.1f s)%n", (System.nanoTime() - started) / 1e9);
  }

  private static void runEveryWorkflow() throws InterruptedException {
    try (AppRun run = app.run()) {
      List<Integer> squares = square.map(List.of(1, 2, 3, 4, 5)).toList();
      check(squares.equals(List.of(1, 4, 9, 16, 25)), "map returned " + squares + " for the squares of 1..5");

      // The same function again, while its container is warm: every new function costs a JVM start.
      String id = square.spawn(12).id();
      FunctionCall<Integer> again = FunctionCall.fromId(id);
      int spawned = again.get(WAIT);
      check(spawned == 144, "spawn(12), then fromId(" + id + ").get(), returned " + spawned);

      List<String> repeated = repeat.starmap(List.of(Args.of("a", 1), Args.of("b", 2), Args.of("c", 3))).toList();
      check(repeated.equals(List.of("a", "bb", "ccc")), "starmap returned " + repeated);

      spawnMapIntoTheVolume();

      List<Doubled> batched = doubled.map(IntStream.rangeClosed(1, 32).boxed()).toList();
      for (int i = 0; i < batched.size(); i++) {
        check(batched.get(i).value() == 2 * (i + 1), "the batched function returned " + batched.get(i).value()
            + " for " + (i + 1));
      }
      int largest = batched.stream().mapToInt(Doubled::batchSize).max().orElse(0);
      check(largest > 1, "the batched function ran every input alone; its batches were never gathered");
    }
  }

  private static void spawnMapIntoTheVolume() throws InterruptedException {
    String dir = "runs/" + UUID.randomUUID();
    int count = 20;
    SpawnedMap job = writeSquare.spawnMap(IntStream.range(0, count).mapToObj(n -> Args.of(dir, n)));
    long deadline = System.nanoTime() + WAIT.toNanos();
    MapProgress progress = job.progress();
    // The embedded engine runs the tasks inside this process, so the run must stay open until they are done.
    while (!progress.isDone()) {
      check(System.nanoTime() < deadline, "spawnMap " + job.id() + " was not done after " + WAIT + ": " + progress);
      Thread.sleep(200);
      progress = job.progress();
    }
    check(progress.succeeded() == count, "spawnMap " + job.id() + " ended as " + progress);
    List<VolumeEntry> files = scratch.list(dir);
    check(files.size() == count, "the volume holds " + files.size() + " of the " + count + " files in " + dir);
    for (int n = 0; n < count; n++) {
      String text = new String(scratch.read(dir + "/" + n + ".txt"), StandardCharsets.UTF_8);
      check(text.equals(Integer.toString(n * n)), dir + "/" + n + ".txt holds '" + text + "'");
    }
    scratch.remove(dir);
  }

  private static void check(boolean passed, String failure) {
    if (!passed) {
      throw new AssertionError(failure);
    }
  }

  private SmokeTest() {}
}
