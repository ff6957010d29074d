package dev.shoal.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The floor of a process container's cold start: a plain JVM on the same classpath, from launch to its first line
 * of output. A fresh container adds loading the app, connecting to the control plane and running the input.
 */
public final class JvmStartPeer {
  private JvmStartPeer() {}

  /** The median over {@code sizes.coldStarts()} launches, in ms. */
  public static Figure launchToFirstLine(Sizes sizes) throws Exception {
    long[] nanos = new long[sizes.coldStarts()];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      // The collector Shoal starts its containers with; it is the quickest to start.
      try (ChildJvm child = ChildJvm.start(JvmStartPeer.class, List.of("-XX:+UseSerialGC"), List.of())) {
        child.awaitLine("@READY", Duration.ofSeconds(30));
        nanos[i] = System.nanoTime() - start;
      }
    }
    Latencies latencies = new Latencies(nanos);
    return Figure.of(latencies.percentileMillis(50), Map.of("launches", nanos.length, "spread", latencies.summary()));
  }

  public static void main(String[] args) {
    System.out.println(ChildJvm.Child.PROTOCOL_PREFIX + "READY");
    System.out.flush();
  }
}
