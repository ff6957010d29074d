package dev.shoal.examples;

import dev.shoal.App;
import dev.shoal.AppRun;
import dev.shoal.BucketMount;
import dev.shoal.FunctionCall;
import dev.shoal.FunctionOptions;
import dev.shoal.MapCall;
import dev.shoal.RemoteFunction;
import dev.shoal.Secret;
import dev.shoal.Volume;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A two-stage pipeline over text documents in a bucket, whose stages are variants of one function: many small
 * documents go to a wide, light pool, the few large ones to a narrow pool of big containers. Each document's word
 * counts are written to the volume {@code pipeline-out}; the caller prints the most frequent words of all.
 *
 * <p>It reads the bucket {@code pipeline-docs} (under {@code incoming/}) of the S3-compatible store at
 * {@code SHOAL_EXAMPLE_S3_ENDPOINT} (default {@code http://127.0.0.1:9000}, such as a local MinIO), with the
 * credentials in the secret {@code pipeline-s3}:
 *
 * <pre>
 *   shoal secret create pipeline-s3 AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=…
 *   ./mvnw -q -pl examples exec:exec -Dexample=Pipeline
 *   shoal volume ls pipeline-out counts
 * </pre>
 */
public final class Pipeline {
  public static final String BUCKET = "pipeline-docs";
  public static final String CREDENTIALS = "pipeline-s3";
  public static final String ENDPOINT_ENV = "SHOAL_EXAMPLE_S3_ENDPOINT";
  /** The same setting as a system property, which a test sets in its own JVM; containers get the variable. */
  public static final String ENDPOINT_PROPERTY = "shoal.example.s3Endpoint";
  private static final String ENDPOINT = System.getProperty(ENDPOINT_PROPERTY,
      System.getenv().getOrDefault(ENDPOINT_ENV, "http://127.0.0.1:9000"));
  /** Documents larger than this go to the big containers. */
  static final long LARGE_BYTES = 1_000_000;

  static final App app = App.named("pipeline");

  static final BucketMount docs = BucketMount.s3(BUCKET).prefix("incoming/").readOnly(true)
      .endpoint(URI.create(ENDPOINT))
      .secret(Secret.fromName(CREDENTIALS));
  static final Volume out = Volume.fromName("pipeline-out", true);

  private static final FunctionOptions MOUNTS = FunctionOptions.builder()
      .bucketMount("docs", docs)
      .volume(out)
      // A container defines the app again as it loads this class: the same endpoint, the same mount.
      .env(ENDPOINT_ENV, ENDPOINT)
      .build();

  /** A document of the bucket and its size. */
  public record Doc(String name, long bytes) {}

  /** The documents under the mount, largest first. */
  static final RemoteFunction<String, List<Doc>> list = app.function("list", ignored -> {
    try (Stream<Path> files = Files.walk(docs.path())) {
      return files.filter(Files::isRegularFile)
          .map(p -> new Doc(docs.path().relativize(p).toString(), size(p)))
          .sorted(Comparator.comparingLong(Doc::bytes).reversed())
          .toList();
    }
  }, MOUNTS);

  /** Counts a document's words, writes the counts to the volume, and returns them. */
  static final RemoteFunction<Doc, Map<String, Integer>> count = app.function("count", doc -> {
    Map<String, Integer> counts = new HashMap<>();
    try (Stream<String> lines = Files.lines(docs.path().resolve(doc.name()))) {
      lines.flatMap(line -> Stream.of(line.toLowerCase().split("[^\\p{L}\\p{N}]+")))
          .filter(word -> !word.isEmpty())
          .forEach(word -> counts.merge(word, 1, Integer::sum));
    }
    Path file = out.path().resolve("counts").resolve(doc.name() + ".txt");
    Files.createDirectories(file.getParent());
    List<String> rows = new ArrayList<>();
    counts.forEach((word, n) -> rows.add(word + " " + n));
    Files.write(file, rows);
    out.commit();
    return counts;
  }, MOUNTS);

  /** The stage for the many small documents: light containers, eight documents at once in each. */
  static final RemoteFunction<Doc, Map<String, Integer>> small =
      count.withOptions(o -> o.maxContainers(4).concurrency(8).memoryMb(256));

  /** The stage for the large documents: one document at a time in each of two big containers. */
  static final RemoteFunction<Doc, Map<String, Integer>> large =
      count.withOptions(o -> o.maxContainers(2).memoryMb(2048).cpu(1));

  private Pipeline() {}

  /** Runs the pipeline and returns each word's count over every document. */
  public static Map<String, Integer> run() {
    Map<String, Integer> total = new HashMap<>();
    try (AppRun run = app.run()) {
      List<Doc> all = list.remote("");
      List<Doc> big = all.stream().filter(d -> d.bytes() > LARGE_BYTES).toList();
      List<Doc> rest = all.stream().filter(d -> d.bytes() <= LARGE_BYTES).toList();
      // The large ones start first, on their own pool, and run while the small ones stream through theirs.
      List<FunctionCall<Map<String, Integer>>> bigCalls = big.stream().map(large::spawn).toList();
      try (MapCall<Map<String, Integer>> counts = small.map(rest)) {
        counts.forEach(c -> c.forEach((word, n) -> total.merge(word, n, Integer::sum)));
      }
      for (FunctionCall<Map<String, Integer>> call : bigCalls) {
        call.get().forEach((word, n) -> total.merge(word, n, Integer::sum));
      }
      System.out.printf("%d documents: %d small on %s, %d large on %s%n", all.size(), rest.size(), small.name(),
          big.size(), large.name());
    }
    return total;
  }

  public static void main(String[] args) {
    run().entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(10)
        .forEach(e -> System.out.println(e.getValue() + " " + e.getKey()));
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
