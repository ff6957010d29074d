package dev.shoal.internal.controlplane;

import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.Hello;
import dev.shoal.protocol.v1.Welcome;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The container-facing gRPC service. A container's stream is its life: the hello proves which container it is,
 * and the end of the stream, however it ends, is treated as the container's death.
 */
public final class ContainerServiceImpl extends ContainerServiceGrpc.ContainerServiceImplBase {
  private final ControlPlane controlPlane;

  public ContainerServiceImpl(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Override
  public StreamObserver<ContainerMessage> serve(StreamObserver<ContainerCommand> commands) {
    return new StreamObserver<>() {
      private ContainerRecord container;

      @Override
      public void onNext(ContainerMessage message) {
        if (container == null) {
          if (message.getKindCase() != ContainerMessage.KindCase.HELLO) {
            commands.onError(Status.INVALID_ARGUMENT.withDescription("a container must say hello first")
                .asRuntimeException());
            return;
          }
          hello(message.getHello());
          return;
        }
        FunctionPool pool = container.pool;
        container.lastSeenMillis = controlPlane.nowMillis();
        switch (message.getKindCase()) {
          case READY -> pool.ready(container, message.getReady().getWindow());
          case OUTPUTS -> pool.outputs(container, message.getOutputs().getOutputsList(), message.getOutputs().getWindow());
          case STARTUP_FAILED -> pool.startupFailed(container, message.getStartupFailed().getFailure());
          case LOGS -> {
            for (dev.shoal.protocol.v1.LogEntry entry : message.getLogs().getEntriesList()) {
              pool.app.log.append(entry.toBuilder().setFunction(pool.name()).setContainerId(container.id));
            }
          }
          default -> { }
        }
      }

      private void hello(Hello hello) {
        ContainerRecord c = controlPlane.container(hello.getContainerId(), hello.getToken());
        if (c == null) {
          commands.onError(Status.UNAUTHENTICATED
              .withDescription("unknown container " + hello.getContainerId() + " or wrong token")
              .asRuntimeException());
          return;
        }
        container = c;
        c.lastSeenMillis = controlPlane.nowMillis();
        c.attach(commands);
        AppRecord app = c.pool.app;
        c.send(ContainerCommand.newBuilder()
            .setWelcome(Welcome.newBuilder()
                .setAppName(app.name)
                .setAppClass(app.appClass)
                .setAppId(app.id)
                .setFunction(c.pool.definition)
                .putAllFunctionIds(app.functionIds())
                .setContainerId(c.id))
            .build());
      }

      @Override
      public void onError(Throwable t) {
        ended("its stream failed: " + t.getMessage());
      }

      @Override
      public void onCompleted() {
        ended("it closed its stream");
      }

      private void ended(String why) {
        if (container != null) {
          container.pool.gone(container, -1, why);
        }
      }
    };
  }
}
