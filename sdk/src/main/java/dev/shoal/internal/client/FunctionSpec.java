package dev.shoal.internal.client;

import com.google.protobuf.ByteString;
import dev.shoal.Batching;
import dev.shoal.FunctionOptions;
import dev.shoal.Retries;
import dev.shoal.internal.client.PublicApi.Failure;
import dev.shoal.internal.client.bucket.BucketMountSpecs;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.PayloadSettings;
import dev.shoal.protocol.v1.RetryPolicy;
import dev.shoal.protocol.v1.VolumeMount;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the engine needs to schedule one pool: a function's, or one parameter set's of a class. Made from the
 * public options when the app defines the function, so that a wrong setting fails there.
 */
public final class FunctionSpec {
  private final FunctionDefinition definition;

  private FunctionSpec(FunctionDefinition definition) {
    this.definition = definition;
  }

  /** The pool of a function, or of a class's parameter set named {@code name}, with these options. */
  public static FunctionSpec of(String name, FunctionOptions o) {
    Retries r = o.retries();
    FunctionDefinition.Builder definition = FunctionDefinition.newBuilder()
        .setName(name)
        .setTimeoutMs(o.timeout().toMillis())
        .setStartupTimeoutMs(o.startupTimeout().toMillis())
        .setRetryPolicy(RetryPolicy.newBuilder()
            .setMaxRetries(r.maxRetries())
            .setBackoffCoefficient(r.backoffCoefficient())
            .setInitialDelayMs(r.initialDelay().toMillis())
            .setMaxDelayMs(r.maxDelay().toMillis()))
        .setMinContainers(o.minContainers())
        .setMaxContainers(o.maxContainers().orElse(0))
        .setBufferContainers(o.bufferContainers())
        .setScaledownWindowMs(o.scaledownWindow().toMillis())
        .setMaxConcurrentInputs(o.concurrency())
        .setTargetConcurrentInputs(o.targetConcurrency() == o.concurrency() ? 0 : o.targetConcurrency())
        .setCpu(o.cpu())
        .setMemoryMb(o.memoryMb())
        .setGpu(o.gpu().orElse(""))
        .putAllEnv(o.env())
        .putAllEnv(adHocSecrets(o))
        .addAllSecrets(o.secrets().stream().flatMap(secret -> secret.name().stream()).toList())
        .addAllVolumes(o.volumes().stream()
            .map(v -> VolumeMount.newBuilder().setName(v.name()).setCreateIfMissing(PublicApi.createIfMissing(v))
                .build())
            .toList())
        .setPayloads(payloadSettings());
    // After the function's own secrets, so that a mount's credentials win over theirs.
    BucketMountSpecs.addTo(definition, o);
    return new FunctionSpec(definition.build());
  }

  /**
   * The keys of the secrets made from maps, in order, for the function's environment. Named secrets are opened by
   * the engine when it starts a container, and their keys win over these: a container's environment is then the
   * same whatever order the options named secrets of the two kinds in.
   */
  private static Map<String, String> adHocSecrets(FunctionOptions o) {
    Map<String, String> env = new LinkedHashMap<>();
    o.secrets().forEach(secret -> env.putAll(PublicApi.secretValues(secret)));
    return env;
  }

  /** The payload limits this process is configured with; a setting out of range is refused naming it. */
  public static PayloadLimits configuredPayloadLimits() {
    try {
      return PayloadLimits.configured();
    } catch (IllegalArgumentException e) {
      throw PublicApi.failure(Failure.INVALID_OPTION, e.getMessage(), e);
    }
  }

  /**
   * What the function's containers need to treat payloads as this caller does: the classes it allows beyond the
   * app's own, and its payload limits.
   */
  private static PayloadSettings payloadSettings() {
    PayloadLimits limits = configuredPayloadLimits();
    return PayloadSettings.newBuilder()
        .addAllCodecAllow(ClassPolicy.configuredAllowList())
        .setMaxBytes(limits.maxBytes())
        .setInlineBytes(limits.inlineBytes())
        .build();
  }

  /** A pool the engine defined, such as a deployed function's that a caller derives a variant from. */
  public static FunctionSpec of(FunctionDefinition definition) {
    return new FunctionSpec(definition);
  }

  /** This pool with batching settings, which make containers gather inputs into batches. */
  public FunctionSpec withBatching(Batching batching) {
    return new FunctionSpec(definition.toBuilder()
        .setBatchMaxSize(batching.maxBatchSize())
        .setBatchWaitMs(batching.waitTime().toMillis())
        .build());
  }

  /** This pool as the one of a class's parameter set, serving {@code methods} on instances made from {@code params}. */
  public FunctionSpec forCls(String cls, Collection<String> methods, byte[] params) {
    return new FunctionSpec(definition.toBuilder()
        .setCls(cls)
        .addAllMethods(methods)
        .setClsParams(ByteString.copyFrom(params))
        .build());
  }

  /** The function this pool serves, as a container finds it. */
  public RegisteredFunction withBody(FunctionBody body) {
    return new RegisteredFunction(definition.getName(), definition, body);
  }

  public String name() {
    return definition.getName();
  }

  public FunctionDefinition definition() {
    return definition;
  }

  @Override
  public String toString() {
    return "FunctionSpec[" + definition.getName() + "]";
  }
}
