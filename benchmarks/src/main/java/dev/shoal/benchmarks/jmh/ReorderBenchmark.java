package dev.shoal.benchmarks.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The ordered map's reorder step: results of a window of inputs arrive in a shuffled order and are taken back in
 * input order. Reported per result. {@code copyOfMapCall} is the logic the SDK runs today (a local copy, as the
 * real class is not reachable); {@code ringBuffer} is the array alternative.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReorderBenchmark {
  private static final int RESULTS = 10_000;

  /** The SDK's default maxInFlight: no more results than this are ever waiting. */
  @Param("1000")
  public int window;

  private long[] arrivalOrder;
  private final Object result = new Object();

  @Setup
  public void shuffleArrivals() {
    // Containers finish inputs out of order, but only within the window that was sent: shuffle each window.
    arrivalOrder = new long[RESULTS];
    Random random = new Random(42);
    for (int start = 0; start < RESULTS; start += window) {
      int end = Math.min(RESULTS, start + window);
      for (int i = start; i < end; i++) {
        arrivalOrder[i] = i;
      }
      for (int i = end - 1; i > start; i--) {
        int j = start + random.nextInt(i - start + 1);
        long swap = arrivalOrder[i];
        arrivalOrder[i] = arrivalOrder[j];
        arrivalOrder[j] = swap;
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(RESULTS)
  public void copyOfMapCall(Blackhole taken) {
    ReorderBuffer<Object> buffer = new ReorderBuffer<>();
    for (long index : arrivalOrder) {
      buffer.arrived(index, result);
      while (buffer.nextReady()) {
        taken.consume(buffer.takeNext());
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(RESULTS)
  public void ringBuffer(Blackhole taken) {
    RingReorderBuffer<Object> buffer = new RingReorderBuffer<>(window);
    for (long index : arrivalOrder) {
      buffer.arrived(index, result);
      while (buffer.nextReady()) {
        taken.consume(buffer.takeNext());
      }
    }
  }
}
