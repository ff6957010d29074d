package dev.shoal.benchmarks.jmh;

import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.Codec;
import dev.shoal.internal.codec.EncodedValue;
import dev.shoal.internal.codec.PayloadLimits;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One argument's trip through Shoal's codec: encoded by the caller, decoded by the container under the app's class
 * policy (and the same again for the result). Every input of a map pays this twice.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  /** A small user record, decoded through the app policy as a container would. */
  public record Job(int id, String name, double weight) {}

  private final ClassPolicy policy = ClassPolicy.forApp(CodecBenchmark.class);
  private final PayloadLimits limits = PayloadLimits.configured();
  // Fields, not constants, so that the JIT cannot fold the values away. 1000 does not fit the one-byte fast path.
  private Integer smallInteger = 42;
  private Integer integer = 1_000_000;
  private String string = "the quick brown fox jumps over the lazy dog";
  private Job job = new Job(7, "resize-thumbnail", 0.25);

  @Benchmark
  public Object smallIntegerRoundTrip() {
    return Codec.decode(Codec.encode(smallInteger), policy);
  }

  @Benchmark
  public Object integerRoundTrip() {
    return Codec.decode(Codec.encode(integer), policy);
  }

  @Benchmark
  public Object stringRoundTrip() {
    return Codec.decode(Codec.encode(string), policy);
  }

  @Benchmark
  public Object recordRoundTrip() {
    return Codec.decode(Codec.encode(job), policy);
  }

  /**
   * The record as the SDK and a container now encode it: checked against the receiver's policy and kept inline
   * under the payload limits, as {@link dev.shoal.internal.client.payload.Payloads} does.
   */
  @Benchmark
  public Object recordRoundTripWithPolicyAndLimits() {
    EncodedValue.Inline encoded = (EncodedValue.Inline) Codec.encode(job, policy, limits);
    return Codec.decode(encoded.bytes(), policy);
  }

  @Benchmark
  public Object integerRoundTripWithPolicyAndLimits() {
    EncodedValue.Inline encoded = (EncodedValue.Inline) Codec.encode(integer, policy, limits);
    return Codec.decode(encoded.bytes(), policy);
  }
}
