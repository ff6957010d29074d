package dev.shoal.reliability;

import dev.shoal.AppRun;
import dev.shoal.RemoteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A caller of {@link ChaosApp} in a JVM of its own, whose {@code -Xmx} proves what a payload costs its heap:
 * {@code argument N} sends N bytes and checks the container's sum of them; {@code result N} asks for N bytes and
 * checks every one; {@code over-limit N DIR} asks for a result of N bytes, which must fail with the limit, and
 * prints how often the function ran (the files it left in DIR). It prints {@code OK} and what it did, or fails.
 */
public final class HugePayloadCaller {
  private HugePayloadCaller() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[1]);
    try (AppRun run = ChaosApp.app.run()) {
      switch (args[0]) {
        case "argument" -> {
          byte[] bytes = ChaosApp.pattern(n);
          long expected = ChaosApp.sumOf(bytes);
          long sum = ChaosApp.sum.remote(bytes);
          check(sum == expected, "the container summed " + sum + ", not " + expected);
          System.out.printf("OK argument of %,d bytes%n", n);
        }
        case "result" -> {
          byte[] bytes = ChaosApp.make.remote(n);
          check(bytes.length == n, "the result has " + bytes.length + " bytes, not " + n);
          for (int i = 0; i < n; i++) {
            check(bytes[i] == (byte) (i * 31 + (i >>> 10)), "byte " + i + " of the result is wrong");
          }
          System.out.printf("OK result of %,d bytes%n", n);
        }
        case "over-limit" -> {
          try {
            ChaosApp.makeCounted.remote(args[2] + "|" + n);
            throw new AssertionError("a result of " + n + " bytes was returned past the limit");
          } catch (RemoteException e) {
            long runs;
            try (Stream<Path> files = Files.list(Path.of(args[2]))) {
              runs = files.count();
            }
            System.out.printf("OK over-limit failed after %d run(s): %s%n", runs, e.getMessage());
          }
        }
        default -> throw new IllegalArgumentException("argument N, result N or over-limit N DIR, not " + args[0]);
      }
    }
    System.exit(0);
  }

  private static void check(boolean condition, String otherwise) {
    if (!condition) {
      throw new AssertionError(otherwise);
    }
  }
}
