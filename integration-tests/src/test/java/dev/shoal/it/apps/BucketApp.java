package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.BucketMount;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import dev.shoal.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * An app whose functions mount buckets of the S3-compatible store that {@code BucketMountTest} starts: a read-only
 * mount scoped to {@code tree/}, a writable one scoped to {@code results/}, and one whose secret the store refuses.
 * The store's port is known only once it runs, so the test JVM reads it from a system property and the containers
 * from their environment, which the options set.
 */
public final class BucketApp {
  public static final String BUCKET = "shoal-it-buckets";
  public static final String CREDENTIALS = "it-bucket-creds";
  public static final String WRONG_CREDENTIALS = "it-bucket-wrong-creds";
  /** Where the test JVM finds the store's endpoint; a constant, so that reading it leaves the class uninitialised. */
  public static final String ENDPOINT_PROPERTY = "it.bucket.endpoint";
  private static final String ENDPOINT_ENV = "IT_BUCKET_ENDPOINT";

  public static final App app = App.named("bucket-app");

  private static final String ENDPOINT = endpoint();

  public static final BucketMount treeMount = BucketMount.s3(BUCKET).prefix("tree/").readOnly(true)
      .endpoint(URI.create(ENDPOINT)).secret(Secret.fromName(CREDENTIALS));

  public static final BucketMount results = BucketMount.s3(BUCKET).prefix("results")
      .endpoint(URI.create(ENDPOINT)).secret(Secret.fromName(CREDENTIALS));

  public static final BucketMount refused = BucketMount.s3(BUCKET).endpoint(URI.create(ENDPOINT))
      .secret(Secret.fromName(WRONG_CREDENTIALS));

  /**
   * Acts on the read-only mount: {@code "walk"} answers every file under it as "path=content" from its root,
   * sorted; {@code "read:PATH"} a file's content; {@code "write:PATH"} writes a file, which the mount must refuse.
   * One function, so that the tests share one container.
   */
  public static final RemoteFunction<String, List<String>> tree = app.function("tree", op -> {
    Path root = treeMount.path();
    if (op.equals("walk")) {
      try (Stream<Path> files = Files.walk(root)) {
        return files.filter(Files::isRegularFile)
            .map(p -> root.relativize(p) + "=" + readString(p))
            .sorted()
            .toList();
      }
    }
    if (op.startsWith("read:")) {
      return List.of(Files.readString(root.resolve(op.substring("read:".length()))));
    }
    if (op.startsWith("write:")) {
      return List.of(Files.writeString(root.resolve(op.substring("write:".length())), "must not be written")
          .toString());
    }
    throw new IllegalArgumentException("no operation " + op);
  }, options().bucketMount("tree", treeMount).build());

  /**
   * Writes input {@code n}'s result to {@code out/n.txt} under the writable mount. Every hundredth input writes a
   * placeholder first, so that the test also sees files replaced.
   */
  public static final RemoteFunction<Integer, Integer> store = app.function("store", n -> {
    Path out = results.path().resolve("out/" + n + ".txt");
    if (n % 100 == 0) {
      Files.writeString(out, "placeholder");
    }
    Files.writeString(out, "square=" + (n * n));
    return n;
  }, options().bucketMount("results", results).concurrency(16).maxContainers(2).build());

  /** Lists the root of the mount whose credentials the store refuses: its containers never start. */
  public static final RemoteFunction<String, String> withWrongCredentials = app.function("withWrongCredentials",
      ignored -> Files.list(refused.path()).toList().toString(),
      options().bucketMount("refused", refused).build());

  /** A second app, run on thread containers while the first runs on processes. */
  public static final App threadsApp = App.named("bucket-threads-app");

  public static final RemoteFunction<String, String> readInThread = threadsApp.function("readInThread",
      path -> Files.readString(treeMount.path().resolve(path)), options().bucketMount("tree", treeMount).build());

  private BucketApp() {}

  /** Options that give the containers the store's endpoint, and let idle containers go soon. */
  private static FunctionOptions.Builder options() {
    return FunctionOptions.builder().env(ENDPOINT_ENV, ENDPOINT).scaledownWindow(java.time.Duration.ofSeconds(5));
  }

  private static String endpoint() {
    String endpoint = System.getProperty(ENDPOINT_PROPERTY, System.getenv(ENDPOINT_ENV));
    if (endpoint == null) {
      throw new IllegalStateException("BucketApp needs -D" + ENDPOINT_PROPERTY + " or " + ENDPOINT_ENV
          + ": the endpoint of the store BucketMountTest starts");
    }
    return endpoint;
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
