package dev.shoal.internal.client;

import com.google.protobuf.CodedOutputStream;
import dev.shoal.Batching;
import dev.shoal.FunctionOptions;
import dev.shoal.Retries;
import dev.shoal.Secret;
import dev.shoal.Volume;
import dev.shoal.internal.client.PublicApi.Failure;
import dev.shoal.protocol.v1.BucketMountSpec;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.RetryPolicy;
import dev.shoal.protocol.v1.VolumeMount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/**
 * Variants of a function ({@code RemoteFunction.withOptions}): the same body under a name of its own, with its own
 * options and so its own pool. A variant's name is its function's, a tilde and a digest of its definition, so that
 * every caller asking for the same settings, in this process or another, shares one pool.
 */
public final class FunctionVariants {
  private static final Duration DEFAULT_MIN_STARTUP = Duration.ofSeconds(60);
  private static final int TAG_BYTES = 5;

  private FunctionVariants() {}

  /**
   * The definition of a variant of {@code base}: its options changed by {@code change}, and its batching replaced
   * by {@code batching} unless that is null. A variant of a variant varies the same function.
   */
  public static FunctionSpec derive(RegisteredFunction base, UnaryOperator<FunctionOptions.Builder> change,
      Batching batching) {
    return derive(base.definition(), change, batching);
  }

  /** The pool of a variant made here, for the run to add. */
  public static FunctionSpec spec(RegisteredFunction variant) {
    return FunctionSpec.of(variant.definition());
  }

  static FunctionSpec derive(FunctionDefinition base, UnaryOperator<FunctionOptions.Builder> change,
      Batching batching) {
    if (!base.getCls().isEmpty()) {
      throw PublicApi.failure(Failure.INVALID_OPTION, "variants are made of functions, and "
          + base.getName() + " is a method of class " + base.getCls() + "; give the class the options instead");
    }
    if (batching != null && base.getBatchMaxSize() == 0) {
      throw PublicApi.failure(Failure.INVALID_OPTION, "withBatching applies to batched functions, and "
          + base.getName() + " takes one input at a time; define it with app.batched(...)");
    }
    FunctionOptions.Builder builder = change.apply(optionsOf(base).toBuilder());
    if (builder == null) {
      throw PublicApi.failure(Failure.INVALID_OPTION, "the options of a variant of " + base.getName()
          + " came back null; return the builder you were given");
    }
    String function = base.getVariantOf().isEmpty() ? base.getName() : base.getVariantOf();
    FunctionDefinition.Builder variant = FunctionSpec.of(function, builder.build()).definition().toBuilder();
    // Bucket mounts are not options a definition gives back (their secrets are in its secrets and env already):
    // the function's carry over, unless the variant mounts one of its own under the same name.
    for (BucketMountSpec mount : base.getBucketMountsList()) {
      if (variant.getBucketMountsList().stream().noneMatch(m -> m.getName().equals(mount.getName()))) {
        variant.addBucketMounts(mount);
      }
    }
    variant
        .setVariantOf(function)
        .setBatchMaxSize(batching == null ? base.getBatchMaxSize() : batching.maxBatchSize())
        .setBatchWaitMs(batching == null ? base.getBatchWaitMs() : batching.waitTime().toMillis());
    return FunctionSpec.of(variant.setName(function + "~" + tag(variant.build())).build());
  }

  /** The options a definition was made from, as far as it holds them. */
  static FunctionOptions optionsOf(FunctionDefinition d) {
    Duration timeout = Duration.ofMillis(d.getTimeoutMs());
    RetryPolicy r = d.getRetryPolicy();
    FunctionOptions.Builder b = FunctionOptions.builder()
        .timeout(timeout)
        .retries(Retries.builder()
            .maxRetries(r.getMaxRetries())
            .backoffCoefficient(r.getBackoffCoefficient())
            .initialDelay(Duration.ofMillis(r.getInitialDelayMs()))
            .maxDelay(Duration.ofMillis(r.getMaxDelayMs()))
            .build())
        .minContainers(d.getMinContainers())
        .bufferContainers(d.getBufferContainers())
        .scaledownWindow(Duration.ofMillis(d.getScaledownWindowMs()))
        .cpu(d.getCpu())
        .memoryMb(d.getMemoryMb());
    // Only a start-up timeout set on purpose carries over; else a variant's follows its own timeout.
    Duration startup = Duration.ofMillis(d.getStartupTimeoutMs());
    if (!startup.equals(timeout.compareTo(DEFAULT_MIN_STARTUP) > 0 ? timeout : DEFAULT_MIN_STARTUP)) {
      b.startupTimeout(startup);
    }
    int max = Math.max(1, d.getMaxConcurrentInputs());
    b.concurrency(max, d.getTargetConcurrentInputs() == 0 ? max : d.getTargetConcurrentInputs());
    if (d.getMaxContainers() > 0) {
      b.maxContainers(d.getMaxContainers());
    }
    if (!d.getGpu().isEmpty()) {
      b.gpu(d.getGpu());
    }
    // Values of ad hoc secrets are in env already, so they come back as env, which a container sees the same way.
    d.getEnvMap().forEach(b::env);
    for (VolumeMount v : d.getVolumesList()) {
      b.volume(Volume.fromName(v.getName(), v.getCreateIfMissing()));
    }
    for (String secret : d.getSecretsList()) {
      b.secret(Secret.fromName(secret));
    }
    return b.build();
  }

  /** A short digest of a definition, made the same in every process. */
  private static String tag(FunctionDefinition definition) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      definition.writeTo(out);
      out.flush();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
      return HexFormat.of().formatHex(digest, 0, TAG_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
