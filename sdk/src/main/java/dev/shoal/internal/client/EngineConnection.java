package dev.shoal.internal.client;

import dev.shoal.protocol.v1.ClientServiceGrpc;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;

/** A client's connection to a control plane: the embedded engine in this JVM, or a server. */
public final class EngineConnection implements AutoCloseable {
  private final ManagedChannel channel;
  private final String description;
  private final ClientServiceGrpc.ClientServiceBlockingStub blocking;
  private final ClientServiceGrpc.ClientServiceStub async;

  public EngineConnection(ManagedChannel channel, String description) {
    this.channel = channel;
    this.description = description;
    this.blocking = ClientServiceGrpc.newBlockingStub(channel);
    this.async = ClientServiceGrpc.newStub(channel);
  }

  public ClientServiceGrpc.ClientServiceBlockingStub blocking() {
    return blocking;
  }

  public ClientServiceGrpc.ClientServiceStub async() {
    return async;
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
