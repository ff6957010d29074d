package dev.shoal.internal.backend.local;

import dev.shoal.internal.client.Channels;
import dev.shoal.internal.controlplane.backend.ContainerBackend;
import dev.shoal.internal.controlplane.backend.ContainerBackendContract;
import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The thread backend against the contract every backend keeps: containers as threads of this JVM. */
class ThreadBackendContractTest extends ContainerBackendContract {
  private final String name = "silent-" + UUID.randomUUID();
  /** Takes every call and never answers it, so that containers wait, starting, until they end. */
  private Server silent;

  @BeforeEach
  void listenSilently() throws IOException {
    silent = InProcessServerBuilder.forName(name).fallbackHandlerRegistry(new NeverAnswers()).build().start();
  }

  @AfterEach
  void stopListening() {
    silent.shutdownNow();
  }

  @Override
  protected ContainerBackend newWaitingBackend(int capacity) {
    return new ThreadBackend(Channels.IN_PROCESS_PREFIX + name, capacity);
  }

  @Override
  protected ContainerBackend newFailingBackend(int capacity) {
    return new ThreadBackend(Channels.IN_PROCESS_PREFIX + "nothing-" + UUID.randomUUID(), capacity);
  }

  /** Every method, of any service, as a call that is accepted and left open. */
  private static final class NeverAnswers extends HandlerRegistry {
    private static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(InputStream value) {
        return value;
      }

      @Override
      public InputStream parse(InputStream stream) {
        return stream;
      }
    };

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
      MethodDescriptor<InputStream, InputStream> method = MethodDescriptor.newBuilder(RAW, RAW)
          .setFullMethodName(methodName).setType(MethodDescriptor.MethodType.UNKNOWN).build();
      return ServerMethodDefinition.create(method, (call, headers) -> new ServerCall.Listener<>() {});
    }
  }
}
