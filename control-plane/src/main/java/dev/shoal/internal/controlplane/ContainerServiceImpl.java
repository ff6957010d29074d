package dev.shoal.internal.controlplane;

import com.google.protobuf.ByteString;
import dev.shoal.protocol.v1.ArtifactChunk;
import dev.shoal.protocol.v1.ContainerCommand;
import dev.shoal.protocol.v1.ContainerMessage;
import dev.shoal.protocol.v1.ContainerServiceGrpc;
import dev.shoal.protocol.v1.FetchArtifactRequest;
import dev.shoal.protocol.v1.Hello;
import dev.shoal.protocol.v1.Welcome;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The container-facing gRPC service. A container's stream is its life: the hello proves which container it is,
 * and the end of the stream, however it ends, is treated as the container's death.
 */
public final class ContainerServiceImpl extends ContainerServiceGrpc.ContainerServiceImplBase {
  private static final int ARTIFACT_CHUNK = 1 << 20;
  /** Longer than any token a backend hands a container. */
  private static final int MAX_TOKEN = 256;
  /** More inputs than a container holds at once: its window is bounded far below this. */
  private static final int MAX_HELD_INPUTS = 100_000;
  private final ControlPlane controlPlane;

  public ContainerServiceImpl(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Override
  public StreamObserver<ContainerMessage> serve(StreamObserver<ContainerCommand> commands) {
    Caller caller = Caller.current();
    return new StreamObserver<>() {
      private ContainerRecord container;
      /** Set once the stream was refused: what comes after is ignored, and nothing is closed twice. */
      private boolean ended;

      @Override
      public void onNext(ContainerMessage message) {
        if (ended) {
          return;
        }
        if (container == null) {
          if (message.getKindCase() != ContainerMessage.KindCase.HELLO) {
            ended = true;
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
          case OUTPUTS -> pool.outputs(container,
              controlPlane.blobs.checkOutputs(message.getOutputs().getOutputsList()), message.getOutputs().getWindow());
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
        try {
          RequestFields.containerId("Hello.container_id", hello.getContainerId());
          RequestFields.text("Hello.token", hello.getToken(), MAX_TOKEN);
          ContainerScope.container(caller, "ContainerService/Serve", hello.getContainerId());
          if (hello.getHeldInputIdsCount() > MAX_HELD_INPUTS) {
            throw Status.INVALID_ARGUMENT.withDescription("Hello.held_input_ids has "
                + hello.getHeldInputIdsCount() + " ids; at most " + MAX_HELD_INPUTS).asRuntimeException();
          }
        } catch (StatusRuntimeException e) {
          ended = true;
          commands.onError(e);
          return;
        }
        if (controlPlane.handingOver()) {
          // Stopping: the container tries again until the control plane's next life listens and adopts it.
          ended = true;
          commands.onError(Status.UNAVAILABLE.withDescription("the control plane is stopping; try again")
              .asRuntimeException());
          return;
        }
        ContainerRecord c = controlPlane.container(hello.getContainerId(), hello.getToken());
        List<String> toCancel = List.of();
        if (c == null && hello.getResuming() && controlPlane.recovering()) {
          // The server listens before it has recovered; the container tries again, as after any restart.
          ended = true;
          commands.onError(Status.UNAVAILABLE.withDescription("the control plane is recovering; try again")
              .asRuntimeException());
          return;
        }
        if (c == null && hello.getResuming()) {
          // A container of the control plane's earlier life, which kept running through the restart.
          Optional<Adoptions.Adopted> adopted =
              controlPlane.adopt(hello.getContainerId(), hello.getToken(), hello.getHeldInputIdsList());
          if (adopted.isPresent()) {
            c = adopted.get().container();
            toCancel = adopted.get().cancelled();
          }
        }
        if (c == null) {
          ended = true;
          commands.onError(Status.UNAUTHENTICATED
              .withDescription("unknown container " + hello.getContainerId() + " or wrong token")
              .asRuntimeException());
          return;
        }
        container = c;
        c.lastSeenMillis = controlPlane.nowMillis();
        StreamContainerChannel channel = new StreamContainerChannel(commands);
        c.attach(channel);
        AppRecord app = c.pool.app;
        channel.write(ContainerCommand.newBuilder()
            .setWelcome(Welcome.newBuilder()
                .setAppName(app.name)
                .setAppClass(app.appClass)
                .setAppId(app.id)
                .setFunction(c.pool.definition)
                .putAllFunctionIds(app.functionIds())
                .setContainerId(c.id))
            .build());
        if (!toCancel.isEmpty()) {
          // Inputs it ran for a caller this life does not know, or that were finished or re-queued meanwhile.
          c.sendCancel(toCancel);
        }
      }

      @Override
      public void onError(Throwable t) {
        ended("its stream failed: " + t.getMessage());
      }

      @Override
      public void onCompleted() {
        if (container == null && !ended) {
          // Nothing else would ever close a stream that ends before its hello.
          ended = true;
          commands.onError(Status.INVALID_ARGUMENT.withDescription("a container's stream ended before its hello")
              .asRuntimeException());
          return;
        }
        ended("it closed its stream");
      }

      private void ended(String why) {
        // A container handed over to the next life has not left its pool: its row stays for that life.
        if (container != null && !container.handedOver) {
          container.pool.gone(container, -1, why);
        }
      }
    };
  }

  /**
   * Streams one artifact of the asking container's app, or, to a container that accepts one, hands it a URL that
   * reads the artifact straight from the archive for a few minutes, so that a pod's classpath does not pass through
   * the control plane. Only a live container may fetch, and only what its app's classpath names: the credential of
   * one app's container must not read another app's code, and gets no URL for it either.
   */
  @Override
  public void fetchArtifact(FetchArtifactRequest request, StreamObserver<ArtifactChunk> response) {
    try {
      RequestFields.containerId("container_id", request.getContainerId());
      RequestFields.text("token", request.getToken(), MAX_TOKEN);
      RequestFields.hash("hash", request.getHash());
      ContainerScope.container(Caller.current(), "ContainerService/FetchArtifact", request.getContainerId());
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    }
    ContainerRecord c = controlPlane.container(request.getContainerId(), request.getToken());
    if (c == null) {
      response.onError(Status.UNAUTHENTICATED
          .withDescription("unknown container " + request.getContainerId() + " or wrong token")
          .asRuntimeException());
      return;
    }
    // The classpath is checked before the store is asked, so that a container cannot make the server fetch
    // another app's artifact from the archive.
    if (c.pool.app.classpath.stream().noneMatch(e -> ArtifactStore.hashOf(e).filter(request.getHash()::equals)
        .isPresent())) {
      response.onError(Status.NOT_FOUND.withDescription("artifact " + request.getHash()
          + " is not on the classpath of app " + c.pool.app.name).asRuntimeException());
      return;
    }
    if (request.getAcceptsUrl()) {
      java.util.Optional<java.net.URI> url;
      try {
        url = controlPlane.artifacts().downloadUrl(request.getHash());
      } catch (RuntimeException e) {
        url = java.util.Optional.empty(); // Streamed instead, which tells the container what is wrong if it fails.
      }
      if (url.isPresent()) {
        response.onNext(ArtifactChunk.newBuilder().setHash(request.getHash()).setUrl(url.get().toString())
            .setLast(true).build());
        response.onCompleted();
        return;
      }
    }
    Path path;
    try {
      path = controlPlane.artifacts().path(request.getHash());
    } catch (IllegalArgumentException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (NoSuchElementException e) {
      response.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      response.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buffer = new byte[ARTIFACT_CHUNK];
      boolean first = true;
      while (true) {
        int n = in.readNBytes(buffer, 0, buffer.length);
        boolean last = n < buffer.length;
        ArtifactChunk.Builder chunk = ArtifactChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n))
            .setLast(last);
        if (first) {
          chunk.setHash(request.getHash());
          first = false;
        }
        response.onNext(chunk.build());
        controlPlane.artifacts().served(n);
        if (last) {
          break;
        }
      }
      response.onCompleted();
    } catch (IOException e) {
      response.onError(Status.INTERNAL.withDescription("cannot read artifact " + request.getHash() + ": "
          + e.getMessage()).asRuntimeException());
    }
  }
}
