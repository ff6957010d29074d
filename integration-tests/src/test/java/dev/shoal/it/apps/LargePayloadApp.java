package dev.shoal.it.apps;

import dev.shoal.App;
import dev.shoal.Cls;
import dev.shoal.FunctionOptions;
import dev.shoal.RemoteFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Arguments and results past the inline threshold (2 MiB), which travel through the control plane's blob store. Its
 * tests set {@code shoal.payload.maxBytes} to {@link #MAX_BYTES} before the class loads, so that the hard limit can
 * be passed without gigabytes.
 */
public final class LargePayloadApp {
  /** The payload limit the tests configure for this app: 20 MB. */
  public static final long MAX_BYTES = 20_000_000;

  /** How many inputs the gated class's container runs at once, and so asks for when it is ready. */
  public static final int GATED_CONCURRENCY = 140;

  public static final App app = App.named("large-payload-app");

  /**
   * An argument of any size, and where its function notes that it ran.
   *
   * @param ranIn a directory where the function writes a file per execution, or empty
   * @param waitFor a file the function waits for before it returns (at most two minutes), or empty
   */
  public record Parcel(String ranIn, String waitFor, byte[] bytes) {}

  /** The parcel's bytes reversed: a large argument and a large result. */
  public static final RemoteFunction<Parcel, byte[]> reverse = app.function("reverse", parcel -> {
    ran(parcel.ranIn());
    if (!parcel.waitFor().isEmpty()) {
      Path file = Path.of(parcel.waitFor());
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!Files.exists(file) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    return reverse(parcel.bytes());
  }, FunctionOptions.builder().concurrency(2).build());

  /** {@code n} bytes of {@link #pattern}: a small argument and a large result. */
  public static final RemoteFunction<Integer, byte[]> make = app.function("make", LargePayloadApp::pattern);

  /** A result past {@link #MAX_BYTES}: its attempt fails with the limit, once, however the caller waits. */
  public static final RemoteFunction<String, byte[]> tooLarge = app.function("tooLarge", ranIn -> {
    ran(ranIn);
    return pattern((int) MAX_BYTES + 1000);
  });

  /** The sum of an argument's bytes, so that the caller can check a large argument arrived whole. */
  public static final RemoteFunction<byte[], Long> sum = app.function("sum", LargePayloadApp::sumOf);

  /**
   * A class whose factory waits for the file {@link #gate} names for its {@code gate} parameter (at most two
   * minutes), so that a test can queue inputs before the class's one container is ready for them.
   */
  public static final Cls<Long> gated = app.cls("Gated", params -> {
    long id = params.integer("gate", 0);
    Path file = gate(id);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return id;
  }, FunctionOptions.builder().maxContainers(1).concurrency(GATED_CONCURRENCY).build());

  public static final RemoteFunction<byte[], byte[]> gatedReverse = gated.method("reverse", (id, b) -> reverse(b));

  private LargePayloadApp() {}

  /** The file that opens the gate of the gated class's parameter set {@code id}. */
  public static Path gate(long id) {
    return Path.of(System.getProperty("java.io.tmpdir"), "shoal-gate-" + id);
  }

  public static byte[] reverse(byte[] b) {
    byte[] reversed = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      reversed[i] = b[b.length - 1 - i];
    }
    return reversed;
  }

  /** Bytes that differ from position to position, so that a chunk out of place would show. */
  public static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + (i >>> 10));
    }
    return b;
  }

  public static long sumOf(byte[] bytes) {
    long sum = 0;
    for (int i = 0; i < bytes.length; i++) {
      sum += (bytes[i] & 0xFF) * (long) (i % 7 + 1);
    }
    return sum;
  }

  private static void ran(String dir) throws Exception {
    if (!dir.isEmpty()) {
      Files.writeString(Files.createTempFile(Path.of(dir), "ran-", ".txt"), "ran", StandardOpenOption.APPEND);
    }
  }
}
