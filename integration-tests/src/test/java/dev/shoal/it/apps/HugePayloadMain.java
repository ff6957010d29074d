package dev.shoal.it.apps;

import dev.shoal.AppRun;

/**
 * A caller of {@link LargePayloadApp} in a JVM of its own, whose {@code -Xmx} proves what a payload costs its heap:
 * {@code argument N} sends N bytes and checks the container's sum of them; {@code result N} asks for N bytes and
 * checks every one. It prints {@code OK} and what it did, or fails.
 */
public final class HugePayloadMain {
  private HugePayloadMain() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[1]);
    long start = System.nanoTime();
    try (AppRun run = LargePayloadApp.app.run()) {
      switch (args[0]) {
        case "argument" -> {
          byte[] bytes = LargePayloadApp.pattern(n);
          long expected = LargePayloadApp.sumOf(bytes);
          long sum = LargePayloadApp.sum.remote(bytes);
          if (sum != expected) {
            throw new AssertionError("the container summed " + sum + ", not " + expected);
          }
        }
        case "result" -> {
          byte[] bytes = LargePayloadApp.make.remote(n);
          if (bytes.length != n) {
            throw new AssertionError("the result has " + bytes.length + " bytes, not " + n);
          }
          for (int i = 0; i < n; i++) {
            if (bytes[i] != (byte) (i * 31 + (i >>> 10))) {
              throw new AssertionError("byte " + i + " of the result is wrong");
            }
          }
        }
        default -> throw new IllegalArgumentException("argument N or result N, not " + args[0]);
      }
    }
    Runtime rt = Runtime.getRuntime();
    System.out.printf("OK %s of %,d bytes in %,d ms; max heap %,d MiB%n", args[0], n,
        (System.nanoTime() - start) / 1_000_000, rt.maxMemory() >> 20);
    System.exit(0);
  }
}
