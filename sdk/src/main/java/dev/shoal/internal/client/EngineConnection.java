package dev.shoal.internal.client;

import dev.shoal.protocol.v1.AwaitResultRequest;
import dev.shoal.protocol.v1.AwaitResultResponse;
import dev.shoal.protocol.v1.ClientServiceGrpc;
import dev.shoal.protocol.v1.GetFunctionStatsRequest;
import dev.shoal.protocol.v1.SpawnRequest;
import io.grpc.ManagedChannel;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;

/** A client's connection to a control plane: the embedded engine in this JVM, or a server. */
public final class EngineConnection implements AutoCloseable {
  private final ManagedChannel channel;
  private final String description;
  private final boolean server;
  private final String environment;
  private final ClientServiceGrpc.ClientServiceBlockingStub blocking;
  private final ClientServiceGrpc.ClientServiceStub async;
  private final SpawnBatcher spawns;
  private final ResultBatcher results;
  private volatile Supplier<OutageRetry> retries = OutageRetry::configured;

  public EngineConnection(ManagedChannel channel, String description) {
    this(channel, description, false, "main");
  }

  /**
   * @param server whether the engine is a server, which may run elsewhere: then the classpath is uploaded
   * @param environment where apps and deployments are looked up
   */
  public EngineConnection(ManagedChannel channel, String description, boolean server, String environment) {
    this.channel = channel;
    this.description = description;
    this.server = server;
    this.environment = environment;
    this.blocking = ClientServiceGrpc.newBlockingStub(channel);
    this.async = ClientServiceGrpc.newStub(channel);
    this.spawns = new SpawnBatcher(async);
    this.results = new ResultBatcher(async);
  }

  public ClientServiceGrpc.ClientServiceBlockingStub blocking() {
    return blocking;
  }

  public ClientServiceGrpc.ClientServiceStub async() {
    return async;
  }

  /**
   * Spawns one call and returns its id once the engine has stored it; spawns made at the same moment by other
   * threads travel with it.
   *
   * <p>The spawn gets an idempotency key here, unless it has one, and keeps it for every attempt: so while the
   * engine cannot be reached (a server restarting) the spawn is tried again up to the {@link OutageRetry} deadline,
   * and an attempt whose answer was lost is answered, when repeated, with the call it made.
   *
   * @throws io.grpc.StatusRuntimeException why the spawn failed, as a blocking stub would
   */
  public String spawn(SpawnRequest request) {
    SpawnRequest keyed = request.getIdempotencyKey().isEmpty()
        ? request.toBuilder().setIdempotencyKey(newIdempotencyKey()).build()
        : request;
    return retry().call("store the spawn", () -> spawns.spawn(keyed));
  }

  /** A key for one logical spawn or detached map: random, so that no two clients ever make the same one. */
  public static String newIdempotencyKey() {
    return UUID.randomUUID().toString();
  }

  /**
   * Waits up to the request's timeout for a call's result; waits that other threads begin at the same moment
   * travel with it. While the engine cannot be reached the wait is tried again, up to the {@link OutageRetry}
   * deadline.
   *
   * @throws io.grpc.StatusRuntimeException why the wait failed, as a blocking stub would
   */
  public AwaitResultResponse awaitResult(AwaitResultRequest request) {
    return awaitResult(request, Long.MAX_VALUE);
  }

  /**
   * As {@link #awaitResult(AwaitResultRequest)}, retrying no later than {@code callerDeadlineNanos} (on
   * {@link System#nanoTime()}'s clock): the caller's own deadline.
   */
  public AwaitResultResponse awaitResult(AwaitResultRequest request, long callerDeadlineNanos) {
    return retry().call("get the result of " + request.getCallId(), callerDeadlineNanos,
        () -> results.await(request));
  }

  /** How requests that are safe to repeat ride out an engine that cannot be reached; read for each use. */
  public OutageRetry retry() {
    return retries.get();
  }

  /** Replaces the retry policy, so that a test runs it on a fake clock. */
  void retryWith(Supplier<OutageRetry> policy) {
    this.retries = policy;
  }

  /** How many containers serve {@code functionId} right now; asks the engine, waiting at most a second. */
  public int liveContainers(String functionId) {
    return blocking.withDeadlineAfter(1, TimeUnit.SECONDS)
        .getFunctionStats(GetFunctionStatsRequest.newBuilder().setFunctionId(functionId).build())
        .getLiveContainers();
  }

  public boolean isServer() {
    return server;
  }

  public String environment() {
    return environment;
  }

  public ManagedChannel channel() {
    return channel;
  }

  /** Where this connection leads, for error messages. */
  public String description() {
    return description;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
