package dev.shoal.internal.client;

import dev.shoal.AutoscalerSettings;
import dev.shoal.Batching;
import dev.shoal.FunctionOptions;
import dev.shoal.FunctionStats;
import dev.shoal.MapCall;
import dev.shoal.MapOptions;
import dev.shoal.Result;
import dev.shoal.internal.codec.ClassPolicy;
import dev.shoal.internal.codec.PayloadLimits;
import dev.shoal.protocol.v1.CallRequest;
import dev.shoal.protocol.v1.CallResponse;
import dev.shoal.protocol.v1.FunctionDefinition;
import dev.shoal.protocol.v1.GetFunctionStatsRequest;
import dev.shoal.protocol.v1.GetFunctionStatsResponse;
import dev.shoal.protocol.v1.LookupFunctionRequest;
import dev.shoal.protocol.v1.LookupFunctionResponse;
import dev.shoal.protocol.v1.RegisterFunctionsRequest;
import dev.shoal.protocol.v1.RegisterFunctionsResponse;
import dev.shoal.protocol.v1.SpawnRequest;
import dev.shoal.protocol.v1.UpdateAutoscalerRequest;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.BaseStream;
import java.util.stream.Stream;

/**
 * The calls of one function as the engine sees them: where they go, which classes their values may hold, and how
 * large they may be. {@code RemoteFunction}'s handles delegate to it; a function of an app defined here asks the
 * app for its target on every call, since the app may be bound to a run, or joined to a container's, later.
 */
public final class FunctionCalls {
  private final String name;
  private final Supplier<FunctionTarget> target;
  private final ClassPolicy policy;
  private final PayloadLimits limits;
  /** For a function looked up by name: the deployed app and the definition variants are made from; else null. */
  private final Deployed deployed;

  /** A deployed function as its lookup found it. */
  private record Deployed(String appId, FunctionDefinition definition) {}

  public FunctionCalls(String name, Supplier<FunctionTarget> target, ClassPolicy policy,
      PayloadLimits limits) {
    this(name, target, policy, limits, null);
  }

  private FunctionCalls(String name, Supplier<FunctionTarget> target, ClassPolicy policy, PayloadLimits limits,
      Deployed deployed) {
    this.name = name;
    this.target = target;
    this.policy = policy;
    this.limits = limits;
    this.deployed = deployed;
  }

  /** A function of a deployed app, found by name on the engine this process talks to. */
  public static FunctionCalls lookup(String appName, String functionName) {
    EngineConnection connection = Engines.current();
    LookupFunctionRequest request = LookupFunctionRequest.newBuilder()
        .setEnvironment(connection.environment())
        .setAppName(appName)
        .setFunctionName(functionName)
        .build();
    LookupFunctionResponse found;
    try {
      found = connection.retry().call("look up " + appName + "." + functionName,
          () -> connection.blocking().lookupFunction(request));
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "look up " + appName + "." + functionName);
    }
    FunctionTarget target = new FunctionTarget(connection, found.getFunctionId());
    return new FunctionCalls(functionName, () -> target, policyFor(found.getAppClass()), PayloadLimits.configured(),
        new Deployed(found.getAppId(), found.getDefinition()));
  }

  public String name() {
    return name;
  }

  /**
   * Adds a variant of a function looked up by name to its deployed app (see {@link FunctionVariants}), and returns
   * the variant's calls.
   */
  public FunctionCalls variant(UnaryOperator<FunctionOptions.Builder> change, Batching batching) {
    if (deployed == null) {
      throw new IllegalStateException(name + " was not looked up by name");
    }
    FunctionSpec variant = FunctionVariants.derive(deployed.definition(), change, batching);
    FunctionTarget t = target.get();
    RegisterFunctionsResponse response;
    try {
      response = t.connection().retry().call("add variant " + variant.name(), () -> t.connection().blocking()
          .registerFunctions(RegisterFunctionsRequest.newBuilder()
              .setAppId(deployed.appId())
              .addFunctions(variant.definition())
              .build()));
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "add variant " + variant.name() + " of " + name);
    }
    FunctionTarget variantTarget = new FunctionTarget(t.connection(),
        response.getFunctionIdsMap().get(variant.name()));
    return new FunctionCalls(variant.name(), () -> variantTarget, policy, limits,
        new Deployed(deployed.appId(), variant.definition()));
  }

  /** Puts new scaling settings in force for the function's pool; unset fields keep their value. */
  public void updateAutoscaler(AutoscalerSettings settings) {
    FunctionTarget t = target.get();
    UpdateAutoscalerRequest.Builder request = UpdateAutoscalerRequest.newBuilder().setFunctionId(t.functionId());
    settings.minContainers().ifPresent(request::setMinContainers);
    settings.maxContainers().ifPresent(request::setMaxContainers);
    settings.bufferContainers().ifPresent(request::setBufferContainers);
    settings.scaledownWindow().ifPresent(d -> request.setScaledownWindowMs(d.toMillis()));
    try {
      t.connection().retry().call("update the autoscaler of " + name,
          () -> t.connection().blocking().updateAutoscaler(request.build()));
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "update the autoscaler of " + name);
    }
  }

  /** The function's pool now. */
  public FunctionStats stats() {
    FunctionTarget t = target.get();
    GetFunctionStatsRequest request = GetFunctionStatsRequest.newBuilder().setFunctionId(t.functionId()).build();
    GetFunctionStatsResponse stats;
    try {
      stats = t.connection().retry().call("read the stats of " + name,
          () -> t.connection().blocking().getFunctionStats(request));
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "read the stats of " + name);
    }
    return new FunctionStats(stats.getQueuedInputs(), stats.getLiveContainers(), stats.getRunningInputs());
  }

  /** The app's own classes when this process has them, else JDK value types only. */
  static ClassPolicy policyFor(String appClass) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = FunctionCalls.class.getClassLoader();
    }
    try {
      return ClassPolicy.forApp(Class.forName(appClass, false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      return ClassPolicy.jdkOnly(loader);
    }
  }

  /** Runs the function on {@code input} and returns its result; a remote failure is rethrown. */
  public <O> O remote(Object input) {
    FunctionTarget t = target.get();
    CallRequest request = CallRequest.newBuilder()
        .setFunctionId(t.functionId())
        .setArgs(Outcomes.encodeArgument(name, input, policy, limits, t.connection()))
        .build();
    CallResponse response;
    try {
      response = EngineErrors.callOnce(t.connection(), request, "call " + name);
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "call " + name);
    }
    return Outcomes.<O>toResult(response.getResult(), policy, t.connection(), true).value();
  }

  /** Spawns the function on {@code input} and returns the call once the engine has stored it. */
  public CallClient spawn(Object input) {
    FunctionTarget t = target.get();
    SpawnRequest request = SpawnRequest.newBuilder()
        .setFunctionId(t.functionId())
        .setArgs(Outcomes.encodeArgument(name, input, policy, limits, t.connection()))
        .build();
    try {
      return new CallClient(t.connection(), t.connection().spawn(request), policy);
    } catch (StatusRuntimeException e) {
      throw EngineErrors.translate(e, "spawn " + name);
    }
  }

  /**
   * Starts a map over {@code source}, whose stream is closed when the map ends; {@code knownSize} is how many
   * inputs it has, or negative while that is not known (a lazy stream).
   */
  public <O> MapCall<Result<O>> map(Iterator<?> source, BaseStream<?, ?> sourceStream, long knownSize,
      MapOptions options) {
    return new StreamedMap<>(target.get(), name, source, sourceStream, knownSize, options, policy, limits);
  }

  /** Uploads a detached map's inputs from an iterable, which can be read again if the upload must resume. */
  public DetachedMap spawnMap(Iterable<?> inputs) {
    return DetachedMap.upload(target.get(), name, inputs::iterator, true, policy, limits);
  }

  /** Uploads a detached map's inputs from a stream, which is read once and closed. */
  public DetachedMap spawnMap(Stream<?> inputs) {
    FunctionTarget t = target.get();
    try (inputs) {
      Iterator<?> once = Spliterators.iterator(inputs.spliterator());
      return DetachedMap.upload(t, name, () -> once, false, policy, limits);
    }
  }
}
